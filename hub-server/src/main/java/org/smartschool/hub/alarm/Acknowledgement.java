package org.smartschool.hub.alarm;

/** Who took an alarm on, when, and what they said. */
public record Acknowledgement(String by, String note, long at) {

    public Acknowledgement {
        if (by == null || by.isBlank() || by.length() > 100) {
            throw new IllegalArgumentException("an acknowledgement needs 'by': who acknowledges, 1-100 characters");
        }
        note = note == null ? "" : note;
        if (note.length() > 2000) {
            throw new IllegalArgumentException("an acknowledgement's note is at most 2000 characters, not " + note.length());
        }
    }
}

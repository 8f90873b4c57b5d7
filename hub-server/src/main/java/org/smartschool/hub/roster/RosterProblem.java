package org.smartschool.hub.roster;

/**
 * One thing wrong with an import, named by file, line and column. The message never quotes a learner's
 * id or a card's UID (personal data): it says what is wrong with the value, not the value.
 *
 * @param line   1 = the header line; 0 when the problem is with the file as a whole
 * @param column the column's name, or empty when the problem is with the line or the file
 */
public record RosterProblem(String file, long line, String column, String message) {
    public RosterProblem {
        column = column == null ? "" : column;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(", line ").append(line);
        }
        if (!column.isEmpty()) {
            out.append(", column ").append(column);
        }
        return out.append(": ").append(message).toString();
    }
}

package org.smartschool.bridge.json;

/** A line that is not canonical JSON; the message names the member ({@code $.value}) and what is wrong. */
public final class CanonicalJsonException extends IllegalArgumentException {
    private final String field;

    public CanonicalJsonException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The path of the offending member, {@code $} for the whole line. */
    public String field() {
        return field;
    }
}

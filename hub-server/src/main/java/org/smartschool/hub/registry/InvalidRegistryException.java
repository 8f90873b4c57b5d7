package org.smartschool.hub.registry;

/**
 * A registry value that breaks a rule. {@link #field()} names the offending field of the object
 * being built ({@code capacity}, {@code rooms[2].id}), so that a reader of a file or a request can
 * point at the key; the message says what is wrong in words.
 */
public final class InvalidRegistryException extends IllegalArgumentException {
    private final String field;

    public InvalidRegistryException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field of the object being built, relative to it; may contain {@code .} and {@code [i]}. */
    public String field() {
        return field;
    }

    /** The same problem one level up: {@code rooms[2]} + {@code capacity} is {@code rooms[2].capacity}. */
    public InvalidRegistryException under(String parent) {
        InvalidRegistryException moved = new InvalidRegistryException(parent + "." + field, getMessage());
        moved.setStackTrace(getStackTrace());
        return moved;
    }
}

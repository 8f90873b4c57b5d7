package org.smartschool.bridge.model;

/** An id (school, room, device, gateway) that may not be used; the message names which. */
public final class InvalidIdException extends IllegalArgumentException {
    public InvalidIdException(String message) {
        super(message);
    }
}

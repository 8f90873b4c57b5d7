package org.smartschool.hub.alarm;

/** A request that contradicts the alarm's state (HTTP 409): acknowledging an acknowledged alarm. */
public final class AlarmConflictException extends Exception {
    public AlarmConflictException(String message) {
        super(message);
    }
}

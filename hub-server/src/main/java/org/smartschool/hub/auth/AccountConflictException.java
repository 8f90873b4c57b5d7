package org.smartschool.hub.auth;

/** A user of that name exists already. */
public final class AccountConflictException extends RuntimeException {
    public AccountConflictException(String message) {
        super(message);
    }
}

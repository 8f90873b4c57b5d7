package org.smartschool.hub.registry;

/** A change that the registry's current state does not allow (a room that still holds equipment); the API answers 409. */
public final class RegistryConflictException extends RuntimeException {
    public RegistryConflictException(String message) {
        super(message, null, false, false);
    }
}

package org.smartschool.hub.registry;

/** A school, building, room or equipment that the registry does not have; the API answers 404. */
public final class RegistryNotFoundException extends RuntimeException {
    public RegistryNotFoundException(String message) {
        super(message, null, false, false);
    }
}

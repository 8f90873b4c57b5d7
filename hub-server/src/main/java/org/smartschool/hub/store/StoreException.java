package org.smartschool.hub.store;

/** The store could not do what was asked (database unavailable, disk full, read-only file...). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

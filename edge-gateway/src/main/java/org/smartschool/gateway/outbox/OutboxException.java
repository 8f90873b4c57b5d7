package org.smartschool.gateway.outbox;

/** The outbox's SQLite file could not be read or written (disk full, I/O error, corrupt file). */
public class OutboxException extends RuntimeException {
    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.smartschool.gateway.outbox;

/** The outbox was closed while a caller was using or waiting for it; nothing was appended. */
public final class OutboxClosedException extends IllegalStateException {
    public OutboxClosedException(String message) {
        super(message);
    }
}

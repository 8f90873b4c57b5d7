package org.smartschool.gateway.outbox;

/**
 * The outbox's file system has too little free space: nothing was appended. The device messages
 * stay with whoever sent them (the broker, unacknowledged; a CoAP device told to retry) until
 * space returns.
 */
public final class DiskFullException extends OutboxException {
    public DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}

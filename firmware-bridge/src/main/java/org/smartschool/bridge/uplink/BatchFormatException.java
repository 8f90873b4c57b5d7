package org.smartschool.bridge.uplink;

/** A batch frame that cannot be decoded whole: truncated, corrupted, an unknown version or a bad record. */
public final class BatchFormatException extends Exception {
    public BatchFormatException(String message) {
        super(message);
    }

    public BatchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.smartschool.bridge.uplink;

/** A batch frame that cannot be decoded whole: truncated, corrupted, an unknown version or a bad record. */
public final class BatchFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;

    public BatchFormatException(String message) {
        this(message, null, false);
    }

    public BatchFormatException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private BatchFormatException(String message, Throwable cause, boolean tooLarge) {
        super(message, cause);
        this.tooLarge = tooLarge;
    }

    /** A frame refused for exceeding a size limit ({@code MAX_FRAME_BYTES}, {@code MAX_INFLATED_BYTES}, {@code MAX_RECORDS}). */
    public static BatchFormatException tooLarge(String message) {
        return new BatchFormatException(message, null, true);
    }

    /**
     * True when the frame broke a size limit rather than the format: the hub answers PUBACK 0x97
     * (Quota exceeded) instead of 0x99 (Payload format invalid).
     */
    public boolean isTooLarge() {
        return tooLarge;
    }
}

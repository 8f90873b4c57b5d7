package org.smartschool.bridge.codec.cardreader;

/**
 * A card frame that is not a valid tap. The message describes the frame's shape (lengths,
 * positions, which parity failed) and never its content: card UIDs are personal data.
 */
final class CardFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    CardFormatException(String message) {
        super(message, null, false, false);
    }
}

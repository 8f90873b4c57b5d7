package org.smartschool.bridge.codec.plaintext;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import org.smartschool.bridge.codec.ProblemText;

/**
 * Reads the one-value text payloads of ESPHome states, Homie property values and availability
 * topics ({@code 23.5}, {@code ON}, {@code online}): strict UTF-8, a size bound, and numbers in
 * plain decimal notation only. {@link Double#parseDouble} alone would also take {@code NaN},
 * {@code Infinity}, hexadecimal floats and a trailing {@code d}, none of which a sensor means.
 */
public final class PlainPayload {
    /** A single value is a few characters; anything longer is not what the topic promises. */
    public static final int MAX_BYTES = 256;

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d{1,4})?");

    private PlainPayload() {
    }

    /** The payload as text, or why it is not one value of text. */
    public record Text(String value, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** A number read from text, or why there is none. */
    public record Number(double value, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** The trimmed text of {@code payload}: at most {@link #MAX_BYTES} bytes of valid UTF-8. */
    public static Text text(byte[] payload) {
        if (payload.length > MAX_BYTES) {
            return new Text(null, "payload is " + payload.length + " bytes, more than the " + MAX_BYTES
                    + " bytes a single value may have");
        }
        boolean ascii = true;
        for (byte b : payload) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) { // the common case needs no decoder
            return new Text(new String(payload, StandardCharsets.US_ASCII).trim(), null);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
            return new Text(chars.toString().trim(), null);
        } catch (CharacterCodingException e) {
            return new Text(null, "payload is not valid UTF-8");
        }
    }

    /** A finite number in decimal notation ({@code -3}, {@code 23.50}, {@code 1.2e3}). */
    public static Number number(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("nan") || lower.equals("none") || lower.equals("unknown") || lower.equals("unavailable")) {
            return new Number(Double.NaN, "no value (" + ProblemText.quote(text) + ": the sensor has no reading)");
        }
        if (!DECIMAL.matcher(text).matches()) {
            return new Number(Double.NaN, "expected a number, got " + ProblemText.quote(text));
        }
        double value = Double.parseDouble(text);
        if (!Double.isFinite(value)) {
            return new Number(value, "number " + ProblemText.quote(text) + " is too large for a double");
        }
        return new Number(value, null);
    }
}

package org.smartschool.bridge.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/**
 * Parses a device's JSON (or CBOR) payload with the limits every codec needs, so that no payload
 * can crash, hang or exhaust a gateway, and turns whatever is wrong with it into a
 * {@link DecodeProblem} instead of an exception. Shared by all JSON and CBOR codecs.
 *
 * <p>Limits, each checked before or while parsing:
 * <ul>
 *   <li>at most {@link #MAX_PAYLOAD_BYTES} (1 MiB), checked before parsing, the size is named;</li>
 *   <li>JSON text must be valid UTF-8 (RFC 8259 section 8.1); the offset of the first bad byte is named;</li>
 *   <li>at most {@link #MAX_NESTING_DEPTH} nested objects/arrays and number literals of at most
 *       {@link #MAX_NUMBER_LENGTH} characters (Jackson {@link StreamReadConstraints});</li>
 *   <li>a key repeated in one object is rejected (which value would be meant is unknowable);</li>
 *   <li>content after the JSON value is rejected (a concatenation is not one message).</li>
 * </ul>
 * The literals {@code NaN} and {@code Infinity} are accepted by the parser on purpose, so that one
 * such field becomes a problem for that field ({@link #number}) while the rest of the message is
 * still decoded. {@code 1e400} parses to infinity and is caught the same way.
 */
public final class JsonPayloadReader {
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;
    public static final int MAX_NESTING_DEPTH = 32;
    public static final int MAX_NUMBER_LENGTH = 256;

    private static final Set<String> NON_FINITE_WORDS =
            Set.of("nan", "+nan", "-nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf");

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_PAYLOAD_BYTES)
            .build();

    private static final JsonPayloadReader JSON = new JsonPayloadReader(new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()), true);

    private static final JsonPayloadReader CBOR = new JsonPayloadReader(new ObjectMapper(CBORFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()), false);

    private final ObjectMapper mapper;
    private final boolean text;

    private JsonPayloadReader(ObjectMapper mapper, boolean text) {
        this.mapper = mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.text = text;
    }

    /** The reader for JSON text payloads. Thread-safe. */
    public static JsonPayloadReader json() {
        return JSON;
    }

    /** The reader for CBOR payloads (RFC 8949), same limits. Thread-safe. */
    public static JsonPayloadReader cbor() {
        return CBOR;
    }

    /**
     * The parsed payload, or the one problem that makes the whole payload unreadable.
     *
     * @param root the parsed tree when {@code problem} is null
     */
    public record Parsed(JsonNode root, DecodeProblem problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * @param device names the device in the problem ({@code school/room/device} or the topic)
     */
    public Parsed read(byte[] payload, String device) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return failed(device, "payload is " + payload.length + " bytes, more than the " + MAX_PAYLOAD_BYTES
                    + " bytes (1 MiB) a device message may have; not parsed");
        }
        if (payload.length == 0) {
            return failed(device, "payload is empty");
        }
        if (text) {
            int bad = firstInvalidUtf8(payload);
            if (bad >= 0) {
                return failed(device, String.format(Locale.ROOT,
                        "payload is not valid UTF-8: bad byte 0x%02x at offset %d", payload[bad] & 0xff, bad));
            }
        }
        try {
            JsonNode root = mapper.readTree(payload);
            if (root == null || root.isMissingNode()) {
                return failed(device, "payload holds no JSON value");
            }
            return new Parsed(root, null);
        } catch (StreamConstraintsException e) {
            return failed(device, "payload exceeds a parser limit (nesting depth " + MAX_NESTING_DEPTH
                    + ", number length " + MAX_NUMBER_LENGTH + "): " + ProblemText.clean(e.getOriginalMessage(), 160));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : text
                    ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"
                    : " (byte " + at.getByteOffset() + ")";
            return failed(device, "payload is not valid " + (text ? "JSON" : "CBOR") + where + ": "
                    + ProblemText.clean(e.getOriginalMessage(), 160));
        } catch (IOException | RuntimeException e) {
            return failed(device, "payload could not be parsed: " + ProblemText.clean(String.valueOf(e.getMessage()), 160));
        }
    }

    private static Parsed failed(String device, String message) {
        return new Parsed(null, new DecodeProblem(device, "$", message));
    }

    /** A JSON value read as a number: the value, or why there is none. */
    public record NumberValue(double value, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * The finite number {@code node} holds. Strings are not numbers (firmware that sends numbers
     * never quotes them, so a string means the payload is not what the codec thinks it is); NaN,
     * Infinity (as literals or as strings) and numbers beyond the double range (1e400) are problems.
     */
    public static NumberValue number(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return new NumberValue(Double.NaN, "missing");
        }
        if (node.isNumber()) {
            double v = node.doubleValue();
            if (Double.isNaN(v)) {
                return new NumberValue(v, "NaN is not a measured value");
            }
            if (Double.isInfinite(v)) {
                return new NumberValue(v, "number " + ProblemText.clean(node.asText(), 40)
                        + " is infinite or too large for a double");
            }
            return new NumberValue(v, null);
        }
        if (node.isTextual()) {
            String s = node.textValue();
            if (NON_FINITE_WORDS.contains(s.trim().toLowerCase(Locale.ROOT))) {
                return new NumberValue(Double.NaN, "the string " + ProblemText.quote(s) + " is not a finite number");
            }
            return new NumberValue(Double.NaN, "expected a number, got the string " + ProblemText.quote(s));
        }
        return new NumberValue(Double.NaN, "expected a number, got " + describe(node));
    }

    /** "a boolean", "an object", "null"...: for "expected X, got Y" messages. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case BOOLEAN -> "the boolean " + node.asText();
            case NULL -> "null";
            case NUMBER -> "the number " + ProblemText.clean(node.asText(), 40);
            case STRING -> "the string " + ProblemText.quote(node.textValue());
            case BINARY -> "binary data";
            default -> "an unexpected value";
        };
    }

    /** The offset of the first byte that breaks UTF-8, or -1 when all of it is valid. */
    static int firstInvalidUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++; // ASCII, the common case, needs no decoder
        }
        if (i == bytes.length) {
            return -1;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, i, bytes.length - i);
        CharBuffer out = CharBuffer.allocate(1024);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isOverflow()) {
                out.clear();
                continue;
            }
            result = decoder.flush(out);
            if (result.isError()) {
                return in.position();
            }
            return -1;
        }
    }
}

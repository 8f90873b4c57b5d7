package org.smartschool.bridge.codec.serialline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Key=value frames that microcontrollers print on a UART, one frame per message
 * ({@code CO2=812;T=29.4;H=71*33}); see {@link org.smartschool.bridge.codec.serialline the package}
 * for the frame grammar.
 */
public final class SerialLineCodec implements Codec {
    /** A UART line is short; anything longer is noise or an attack, not a frame. */
    static final int MAX_FRAME_BYTES = 4096;

    /** Plain decimal numbers only: no NaN, Infinity, hex floats or Java suffixes that parseDouble would take. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d{1,3})?");
    private static final int MAX_NUMBER_CHARS = 32;

    private final SerialLineOptions options;

    public SerialLineCodec(SerialLineOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The codec with {@link SerialLineOptions#defaults()}, as the registry ships it. */
    public SerialLineCodec() {
        this(SerialLineOptions.defaults());
    }

    public SerialLineOptions options() {
        return options;
    }

    @Override
    public String name() {
        return "serial-line";
    }

    @Override
    public String description() {
        return "key=value frames from microcontrollers on a UART (CO2=812;T=29.4;H=71), optional *HH / CRC-16 checksum";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String who = device.toString();
        try {
            return decodeFrame(message, device, who);
        } catch (RuntimeException e) {
            // a bug, not bad input; still no exception may reach the gateway's receive loop
            return rejected(who, "$", "decoder failed: " + e.getClass().getSimpleName() + ": "
                    + ProblemText.clean(String.valueOf(e.getMessage()), 160));
        }
    }

    private DecodeResult decodeFrame(RawMessage message, DeviceRef device, String who) {
        byte[] bytes = message.payload();
        if (bytes.length > MAX_FRAME_BYTES) {
            return rejected(who, "$", "frame of " + bytes.length + " bytes is longer than the " + MAX_FRAME_BYTES
                    + " bytes a serial frame may have");
        }
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            int b = bytes[i] & 0xFF;
            if ((b < 0x20 || b > 0x7E) && b != '\t') {
                return rejected(who, "$", String.format("byte 0x%02X at offset %d is not printable ASCII:"
                        + " a serial frame is one line of ASCII text", b, i));
            }
        }
        String frame = new String(bytes, 0, end, StandardCharsets.US_ASCII);
        if (frame.isBlank()) {
            // UART sketches print blank lines between frames; nothing was measured.
            return DecodeResult.ignoredMessage();
        }
        if (message.receivedAt() <= 0) {
            return rejected(who, "$", "message has no receive time, and a serial frame carries none of its own");
        }
        int start = bytes[0] == '$' ? 1 : 0;
        int bodyEnd = end;
        FrameChecksum checksum = options.checksum();
        if (checksum != FrameChecksum.NONE) {
            int star = frame.lastIndexOf('*');
            if (star < 0) {
                if (options.checksumRequired()) {
                    return rejected(who, "$.checksum", "frame has no '*' checksum trailer (" + checksum
                            + "), which the configuration requires: it may be truncated");
                }
            } else {
                String sent = frame.substring(star + 1);
                if (sent.length() != checksum.hexDigits() || !isHex(sent)) {
                    return rejected(who, "$.checksum", "checksum trailer after '*' must be " + checksum.hexDigits()
                            + " hex digits (" + checksum + "), got " + ProblemText.quote(sent));
                }
                int expected = checksum.compute(bytes, start, star);
                int actual = Integer.parseInt(sent, 16);
                if (expected != actual) {
                    return rejected(who, "$.checksum", "bad " + checksum + " checksum: expected " + checksum.format(expected)
                            + " (computed over the frame), actual " + checksum.format(actual)
                            + " (sent): the whole frame is rejected");
                }
                bodyEnd = star;
            }
        }
        return decodePairs(frame.substring(start, bodyEnd), device, who, message.receivedAt());
    }

    private DecodeResult decodePairs(String body, DeviceRef device, String who, long timestamp) {
        List<DecodeProblem> problems = new ArrayList<>();
        Map<Quantity, Double> values = new LinkedHashMap<>();
        Map<Quantity, String> keyOf = new LinkedHashMap<>();
        Set<Quantity> conflicting = EnumSet.noneOf(Quantity.class);
        String[] pairs = split(body, options.pairSeparator());
        for (int index = 0; index < pairs.length; index++) {
            String pair = pairs[index].strip();
            if (pair.isEmpty()) {
                continue; // "CO2=812;;T=29.4;" — stray separators carry nothing
            }
            int at = pair.indexOf(options.keyValueSeparator());
            if (at < 0) {
                problems.add(new DecodeProblem(who, "$[" + index + "]", "pair " + index + " has no '"
                        + options.keyValueSeparator() + "' between key and value"));
                continue;
            }
            String key = pair.substring(0, at).strip();
            String value = pair.substring(at + options.keyValueSeparator().length()).strip();
            if (!SerialLineOptions.isWellFormedKey(key)) {
                problems.add(new DecodeProblem(who, "$[" + index + "]", "pair " + index
                        + " has no key of 1-32 letters, digits, '_', '.' or '-'"));
                continue;
            }
            String field = "$." + key;
            Quantity quantity = options.quantityOf(key);
            if (quantity == null) {
                if (!options.isIgnored(key)) {
                    problems.add(new DecodeProblem(who, field, "unknown key: map it to a quantity in the serial-line"
                            + " option 'keys', or list it in 'ignoredKeys'"));
                }
                continue;
            }
            Double number = parse(value, field, who, problems);
            if (number == null) {
                continue;
            }
            String implausible = PlausibleRanges.problem(quantity, number);
            if (implausible != null) {
                problems.add(new DecodeProblem(who, field, implausible));
                continue;
            }
            if (conflicting.contains(quantity)) {
                continue;
            }
            if (values.containsKey(quantity)) {
                // Two values for one quantity in one frame: neither is known to be the right one.
                problems.add(new DecodeProblem(who, field, "key gives " + quantity.id() + " a second time in one frame"
                        + " (first as '" + keyOf.get(quantity) + "'): both values are dropped"));
                values.remove(quantity);
                conflicting.add(quantity);
                continue;
            }
            values.put(quantity, number);
            keyOf.put(quantity, key);
        }
        List<Reading> readings = new ArrayList<>(values.size());
        values.forEach((quantity, value) -> readings.add(Reading.of(device, quantity, value, timestamp)));
        return DecodeResult.of(readings, List.of(), problems);
    }

    private static Double parse(String value, String field, String who, List<DecodeProblem> problems) {
        if (value.isEmpty()) {
            problems.add(new DecodeProblem(who, field, "value is empty (truncated frame?)"));
            return null;
        }
        if (value.length() > MAX_NUMBER_CHARS || !NUMBER.matcher(value).matches()) {
            problems.add(new DecodeProblem(who, field, "value " + ProblemText.quote(value) + " is not a decimal number"));
            return null;
        }
        double number = Double.parseDouble(value);
        if (!Double.isFinite(number)) {
            problems.add(new DecodeProblem(who, field, "value " + ProblemText.quote(value) + " is out of range"));
            return null;
        }
        return number;
    }

    private static String[] split(String body, String separator) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = body.indexOf(separator, from)) >= 0) {
            parts.add(body.substring(from, at));
            from = at + separator.length();
        }
        parts.add(body.substring(from));
        return parts.toArray(String[]::new);
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    private static DecodeResult rejected(String who, String field, String message) {
        return DecodeResult.rejected(new DecodeProblem(who, field, message));
    }
}

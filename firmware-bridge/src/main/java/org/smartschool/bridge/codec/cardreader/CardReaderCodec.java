package org.smartschool.bridge.codec.cardreader;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;

/**
 * Card taps from RFID/NFC door readers: ISO 14443 UIDs as RC522 / PN532 reader firmware prints
 * them, and Wiegand 26 / 34-bit frames with their parity checked. See
 * {@link org.smartschool.bridge.codec.cardreader the package} for the accepted frames.
 *
 * <p>Card UIDs are personal data: a problem describes a frame's shape ("UID of 5 bytes") and never
 * its digits, so problems can be logged and counted freely.
 */
public final class CardReaderCodec implements Codec {
    /** Every accepted frame fits in a few hundred bytes; a longer one is not a card tap. */
    static final int MAX_FRAME_BYTES = 4096;

    private static final Pattern WIEGAND_TEXT = Pattern.compile("(?i)w(?:iegand)?\\s*(\\d{1,3})\\s*[:=]\\s*(\\S*)");
    private static final Pattern CARD_TYPE = Pattern.compile("[A-Za-z0-9 ._/+-]{1,32}");

    @Override
    public String name() {
        return "card-reader";
    }

    @Override
    public String description() {
        return "RFID/NFC card UIDs (RC522, PN532; 4/7/10 bytes) and Wiegand 26/34-bit frames with parity checks, as card taps";
    }

    @Override
    public DecodeResult decode(RawMessage message, DeviceRef device) {
        String who = device.toString();
        byte[] bytes = message.payload();
        if (bytes.length > MAX_FRAME_BYTES) {
            return rejected(who, "$", "frame of " + bytes.length + " bytes is longer than the " + MAX_FRAME_BYTES
                    + " bytes a card frame may have");
        }
        if (message.receivedAt() <= 0) {
            return rejected(who, "$", "message has no receive time, and a card frame carries none of its own");
        }
        int first = firstNonBlank(bytes);
        if (first < 0) {
            return DecodeResult.ignoredMessage(); // readers print blank lines between taps
        }
        try {
            Tap tap;
            if (bytes[first] == '{') {
                JsonPayloadReader.Parsed parsed = JsonPayloadReader.jsonWithPersonalData().read(bytes, who);
                if (!parsed.ok()) {
                    return DecodeResult.rejected(parsed.problem());
                }
                tap = fromJson(parsed.root());
            } else {
                tap = fromText(bytes);
            }
            DeviceEvent event = DeviceEvent.of(device, EventType.CARD_TAP, message.receivedAt(), tap.attributes());
            return DecodeResult.of(List.of(), List.of(event), List.of());
        } catch (FieldException e) {
            return rejected(who, e.field, e.getMessage());
        } catch (RuntimeException e) {
            // a bug, not bad input; the exception's message could hold card digits, so only its type is named
            return rejected(who, "$", "decoder failed: " + e.getClass().getSimpleName());
        }
    }

    private static Tap fromText(byte[] bytes) throws FieldException {
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if ((b < 0x20 || b > 0x7E) && b != '\t' && b != '\r' && b != '\n') {
                throw new FieldException("$", String.format("byte 0x%02X at offset %d is not printable ASCII:"
                        + " a card frame is one line of text or a JSON object", b, i));
            }
        }
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new FieldException("$", "frame spans several lines: the reader adapter must send one tap per message");
        }
        Matcher wiegand = WIEGAND_TEXT.matcher(text);
        try {
            if (wiegand.matches()) {
                return Tap.of(WiegandFrame.fromBits(Integer.parseInt(wiegand.group(1)), wiegand.group(2)));
            }
            return Tap.of(CardUid.parse(text), null, null);
        } catch (CardFormatException e) {
            throw new FieldException("$", e.getMessage());
        }
    }

    private static Tap fromJson(JsonNode root) throws FieldException {
        if (!root.isObject()) {
            throw new FieldException("$", "JSON frame is not an object");
        }
        String form = null;
        int forms = 0;
        for (String candidate : List.of("uid", "UID", "wiegand", "RC522", "PN532")) {
            if (root.has(candidate)) {
                form = candidate;
                forms++;
            }
        }
        if (forms != 1) {
            throw new FieldException("$", forms == 0
                    ? "JSON frame has none of 'uid', 'wiegand', 'RC522', 'PN532'"
                    : "JSON frame has more than one of 'uid', 'wiegand', 'RC522', 'PN532'");
        }
        return switch (form) {
            case "uid", "UID" -> Tap.of(uid(root.get(form), "$." + form), null, null);
            case "wiegand" -> wiegand(root);
            default -> tasmota(root.get(form), form);
        };
    }

    private static Tap wiegand(JsonNode root) throws FieldException {
        JsonNode count = root.get("wiegand");
        if (!count.canConvertToExactIntegral() || !count.canConvertToInt()) {
            throw new FieldException("$.wiegand", "must be the frame's bit count, 26 or 34");
        }
        JsonNode bits = root.get("bits");
        JsonNode value = root.get("value");
        try {
            if (bits != null && value == null) {
                if (!bits.isTextual()) {
                    throw new FieldException("$.bits", "must be a string of '0' and '1'");
                }
                return Tap.of(WiegandFrame.fromBits(count.asInt(), bits.textValue()));
            }
            if (value != null && bits == null) {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new FieldException("$.value", "must be the whole frame, parity bits included, as a whole number");
                }
                return Tap.of(WiegandFrame.fromValue(count.asInt(), value.longValue()));
            }
        } catch (CardFormatException e) {
            throw new FieldException(bits != null ? "$.bits" : "$.value", e.getMessage());
        }
        throw new FieldException("$", "Wiegand frame needs exactly one of 'bits' and 'value'");
    }

    /** Tasmota's RC522 and PN532 drivers: {@code {"Time":"...","RC522":{"UID":"BA839D07","Data":"","Type":"MIFARE 1KB"}}}. */
    private static Tap tasmota(JsonNode reader, String driver) throws FieldException {
        String path = "$." + driver;
        if (!reader.isObject()) {
            throw new FieldException(path, "must be an object with a 'UID'");
        }
        if (!reader.has("UID")) {
            throw new FieldException(path + ".UID", "is missing");
        }
        CardUid uid = uid(reader.get("UID"), path + ".UID");
        JsonNode type = reader.get("Type");
        String cardType = type != null && type.isTextual() && CARD_TYPE.matcher(type.textValue()).matches()
                ? type.textValue() : null;
        return Tap.of(uid, driver.toLowerCase(java.util.Locale.ROOT), cardType);
    }

    private static CardUid uid(JsonNode node, String path) throws FieldException {
        if (!node.isTextual()) {
            throw new FieldException(path, "must be a string of hex bytes");
        }
        try {
            return CardUid.parse(node.textValue());
        } catch (CardFormatException e) {
            throw new FieldException(path, e.getMessage());
        }
    }

    private static int firstNonBlank(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return i;
            }
        }
        return -1;
    }

    private static DecodeResult rejected(String who, String field, String message) {
        return DecodeResult.rejected(new DecodeProblem(who, field, message));
    }

    /** The attributes of one card tap. */
    private record Tap(Map<String, String> attributes) {
        static Tap of(CardUid uid, String reader, String cardType) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("uid", uid.hex());
            attributes.put("format", "nfc_uid");
            attributes.put("uid_bytes", Integer.toString(uid.bytes()));
            if (reader != null) {
                attributes.put("reader", reader);
            }
            if (cardType != null) {
                attributes.put("card_type", cardType);
            }
            return new Tap(attributes);
        }

        static Tap of(WiegandFrame frame) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("uid", frame.uid());
            attributes.put("format", "wiegand" + frame.bitCount());
            attributes.put("facility", Integer.toString(frame.facility()));
            attributes.put("card_number", Integer.toString(frame.cardNumber()));
            return new Tap(attributes);
        }
    }

    /** A bad frame and the field it is bad in; the message never carries card digits. */
    private static final class FieldException extends Exception {
        private static final long serialVersionUID = 1L;
        final String field;

        FieldException(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}

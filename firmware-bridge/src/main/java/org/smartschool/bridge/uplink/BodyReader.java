package org.smartschool.bridge.uplink;

import static org.smartschool.bridge.uplink.WireCatalog.EVENT_ELEMENTS;
import static org.smartschool.bridge.uplink.WireCatalog.GROUP_ELEMENTS;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_BASE_TIME;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_BATCH_ID;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_COUNT;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_EVENTS;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_GATEWAY;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_GROUPS;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_SCHOOL;
import static org.smartschool.bridge.uplink.WireCatalog.KEY_STRINGS;
import static org.smartschool.bridge.uplink.WireCatalog.SERIES_ELEMENTS;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.model.SharedIds;
import org.smartschool.bridge.text.SafeText;

/**
 * Reads and validates the CBOR body of a version 1 frame in one streaming pass.
 *
 * <p>Every check names where it failed ({@code series[3].values[7]}), and nothing is returned
 * until the whole body has been read: a body decodes whole or not at all. One instance per body.
 */
final class BodyReader {
    private static final int MAJOR_TYPE_MASK = 0xE0;
    private static final int MAJOR_UNSIGNED = 0x00;
    private static final int MAJOR_TEXT = 0x60;

    private final byte[] body;
    private final int length;
    private CBORParser p;

    private String batchId;
    private String gateway;
    private String school;
    private long baseTime;
    private final List<String> strings = new ArrayList<>();
    private final List<Reading> readings = new ArrayList<>();
    private final List<DeviceEvent> events = new ArrayList<>();
    private long[] times = new long[64];

    // Where the parser is, for error messages: section[index].sub[subIndex].field[item]
    private String section = "body";
    private int index = -1;
    private String sub;
    private int subIndex = -1;
    private String field;
    private int item = -1;

    BodyReader(byte[] body, int length) {
        this.body = body;
        this.length = length;
    }

    Batch read(CBORFactory cbor) throws BatchFormatException {
        try (CBORParser parser = cbor.createParser(body, 0, length)) {
            p = parser;
            readBody();
        } catch (JsonProcessingException e) {
            throw fail("malformed CBOR: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            // Input is hostile until proven otherwise: no parser failure escapes unnamed.
            throw fail("malformed CBOR: " + e);
        }
        try {
            return new Batch(batchId, gateway, school, readings, events);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private void readBody() throws IOException, BatchFormatException {
        expect(next(), JsonToken.START_OBJECT, "a map");
        for (int key = 1; key <= KEY_COUNT; key++) {
            at(WireCatalog.keyName(key));
            JsonToken t = next();
            if (t == JsonToken.END_OBJECT) {
                throw fail("missing key " + key + " (" + WireCatalog.keyName(key) + ")");
            }
            int found = readKey();
            if (found != key) {
                throw fail("found key " + found + " (" + WireCatalog.keyName(found) + ") where key " + key
                        + " (" + WireCatalog.keyName(key) + ") belongs: keys 1-" + KEY_COUNT
                        + " appear once each, in ascending order");
            }
            switch (key) {
                case KEY_BATCH_ID -> readBatchId();
                case KEY_GATEWAY -> gateway = readId("gateway");
                case KEY_SCHOOL -> school = readId("school");
                case KEY_BASE_TIME -> baseTime = readLong();
                case KEY_STRINGS -> readStrings();
                case KEY_GROUPS -> readGroups();
                case KEY_EVENTS -> readEvents();
                default -> throw new IllegalStateException("key " + key);
            }
        }
        at("body");
        JsonToken t = next();
        if (t != JsonToken.END_OBJECT) {
            throw fail("unexpected key " + (t == JsonToken.FIELD_NAME ? readKey() : describe(t))
                    + " after key " + KEY_COUNT + ": version 1 has keys 1-" + KEY_COUNT);
        }
        boolean trailing;
        try {
            trailing = p.nextToken() != null;
        } catch (IOException e) {
            trailing = true;
        }
        if (trailing) {
            throw fail("trailing data after the CBOR body");
        }
    }

    /** A top-level key: must be a CBOR unsigned integer, not a text string that looks like one. */
    private int readKey() throws IOException, BatchFormatException {
        if (majorTypeAtToken() != MAJOR_UNSIGNED) {
            throw fail("map key '" + printable(p.currentName()) + "' is not an unsigned integer");
        }
        try {
            return Integer.parseInt(p.currentName());
        } catch (NumberFormatException e) {
            throw fail("map key " + printable(p.currentName()) + " is out of range");
        }
    }

    private void readBatchId() throws IOException, BatchFormatException {
        String id = readText();
        if (id.isEmpty() || id.length() > 128) {
            throw fail("batch id must be 1-128 characters, found " + id.length());
        }
        batchId = id;
    }

    private String readId(String kind) throws IOException, BatchFormatException {
        String id = readText();
        String shared = SharedIds.of(id);
        if (shared != null) {
            return shared;
        }
        try {
            Ids.require(kind, id); // not valid: throws, naming the kind
            throw fail("invalid " + kind + " id");
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private void readStrings() throws IOException, BatchFormatException {
        expect(next(), JsonToken.START_ARRAY, "an array of text strings");
        for (int i = 0; ; i++) {
            at("strings", i);
            JsonToken t = next();
            if (t == JsonToken.END_ARRAY) {
                return;
            }
            expect(t, JsonToken.VALUE_STRING, "a text string (a room or device id)");
            String s = p.getText();
            String shared = SharedIds.of(s);
            if (shared == null) {
                throw fail("invalid room or device id '" + printable(s) + "'");
            }
            strings.add(shared);
        }
    }

    private void readGroups() throws IOException, BatchFormatException {
        expect(next(), JsonToken.START_ARRAY, "an array of groups");
        for (int i = 0; ; i++) {
            at("groups", i);
            JsonToken t = next();
            if (t == JsonToken.END_ARRAY) {
                return;
            }
            expect(t, JsonToken.START_ARRAY, "a group: an array of " + GROUP_ELEMENTS + " elements");
            readGroup();
        }
    }

    /** [room, device, [time deltas], [series...]] */
    private void readGroup() throws IOException, BatchFormatException {
        field("room");
        String room = readString();
        field("device");
        String device = readString();
        field("times");
        int count = readTimes();
        field("series");
        expect(next(), JsonToken.START_ARRAY, "an array of series");
        int series = 0;
        long quantitiesSeen = 0; // bit per quantity number: one series per quantity in a group
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            sub("series", series++);
            expect(t, JsonToken.START_ARRAY, "a series: an array of " + SERIES_ELEMENTS + " elements");
            checkRecordLimit(count);
            Quantity quantity = readSeries(room, device, count);
            long bit = 1L << WireCatalog.number(quantity);
            if ((quantitiesSeen & bit) != 0) {
                throw fail("quantity " + quantity.id() + " appears twice in one group");
            }
            quantitiesSeen |= bit;
        }
        sub(null, -1);
        if (series == 0) {
            throw fail("a group has at least one series");
        }
        field(null);
        if (next() != JsonToken.END_ARRAY) {
            throw fail("a group has exactly " + GROUP_ELEMENTS + " elements, found more");
        }
    }

    /** [quantity, exponent or null, [mantissa deltas or floats]], one value per time of the group */
    private Quantity readSeries(String room, String device, int count) throws IOException, BatchFormatException {
        field("quantity");
        long q = readLong();
        Quantity quantity = WireCatalog.quantity(q)
                .orElseThrow(() -> fail("unknown quantity number " + q));

        field("exponent");
        JsonToken t = next();
        int decimals;
        if (t == JsonToken.VALUE_NULL) {
            decimals = DecimalScale.NOT_DECIMAL;
        } else {
            long exponent = integerValue(t, "an integer exponent or null");
            if (exponent > 0 || exponent < -DecimalScale.MAX_DECIMALS) {
                throw fail("exponent " + exponent + " outside -" + DecimalScale.MAX_DECIMALS + "..0");
            }
            decimals = (int) -exponent;
        }

        field("values");
        expect(next(), JsonToken.START_ARRAY, "an array of values");
        long mantissa = 0;
        for (int j = 0; j < count; j++) {
            item(j);
            t = next();
            if (t == JsonToken.END_ARRAY) {
                throw fail("the group has " + count + " times but this series " + j + " values");
            }
            double value;
            if (decimals == DecimalScale.NOT_DECIMAL) {
                expect(t, JsonToken.VALUE_NUMBER_FLOAT, "a floating-point value (the exponent is null)");
                NumberType type = p.getNumberType();
                if (type != NumberType.DOUBLE && type != NumberType.FLOAT) {
                    throw fail("expected a CBOR float, found a " + type);
                }
                value = p.getDoubleValue();
                if (!Double.isFinite(value)) {
                    throw fail("value is not finite: " + value);
                }
            } else {
                long delta = integerValue(t, "an integer mantissa delta (the exponent is an integer)");
                try {
                    mantissa = Math.addExact(mantissa, delta);
                } catch (ArithmeticException e) {
                    throw fail("mantissa overflows");
                }
                if (Math.abs(mantissa) > DecimalScale.MAX_MANTISSA) {
                    throw fail("mantissa " + mantissa + " exceeds 2^53");
                }
                value = DecimalScale.value(mantissa, decimals);
            }
            try {
                readings.add(new Reading(school, room, device, quantity, value, quantity.unit(), times[j]));
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }
        item(-1);
        if (next() != JsonToken.END_ARRAY) {
            throw fail("the group has " + count + " times but this series more values");
        }
        field(null);
        if (next() != JsonToken.END_ARRAY) {
            throw fail("a series has exactly " + SERIES_ELEMENTS + " elements, found more");
        }
        return quantity;
    }

    /** Reads one series' time column into {@link #times}; returns how many. */
    private int readTimes() throws IOException, BatchFormatException {
        expect(next(), JsonToken.START_ARRAY, "an array of time deltas");
        long previous = baseTime;
        int count = 0;
        for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
            item(count);
            long delta = integerValue(t, "an integer time delta in milliseconds");
            long time;
            try {
                time = Math.addExact(previous, delta);
            } catch (ArithmeticException e) {
                throw fail("time overflows");
            }
            if (time <= 0) {
                throw fail("time " + time + " is not a positive epoch millisecond");
            }
            checkRecordLimit(count + 1);
            if (count == times.length) {
                times = Arrays.copyOf(times, count * 2);
            }
            times[count++] = time;
            previous = time;
        }
        item(-1);
        if (count == 0) {
            throw fail("a group has at least one time");
        }
        return count;
    }

    private void readEvents() throws IOException, BatchFormatException {
        expect(next(), JsonToken.START_ARRAY, "an array of events");
        for (int i = 0; ; i++) {
            at("events", i);
            JsonToken t = next();
            if (t == JsonToken.END_ARRAY) {
                return;
            }
            expect(t, JsonToken.START_ARRAY, "an event: an array of " + EVENT_ELEMENTS + " elements");
            checkRecordLimit(1);
            readEvent();
        }
    }

    /** [id, type, room, device, time offset, {attribute: value}] */
    private void readEvent() throws IOException, BatchFormatException {
        field("id");
        String id = readText();
        field("type");
        long typeNumber = readLong();
        EventType type = WireCatalog.eventType(typeNumber)
                .orElseThrow(() -> fail("unknown event type number " + typeNumber));
        field("room");
        String room = readString();
        field("device");
        String device = readString();
        field("time");
        long time;
        try {
            time = Math.addExact(baseTime, readLong());
        } catch (ArithmeticException e) {
            throw fail("time overflows");
        }
        if (time <= 0) {
            throw fail("time " + time + " is not a positive epoch millisecond");
        }
        field("attributes");
        Map<String, String> attributes = readAttributes();
        field(null);
        if (next() != JsonToken.END_ARRAY) {
            throw fail("an event has exactly " + EVENT_ELEMENTS + " elements, found more");
        }
        try {
            events.add(new DeviceEvent(id, school, room, device, type, time, attributes));
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /** Attribute values may be personal data (a card uid): no message here ever quotes one. */
    private Map<String, String> readAttributes() throws IOException, BatchFormatException {
        expect(next(), JsonToken.START_OBJECT, "a map of text to text");
        Map<String, String> attributes = new HashMap<>();
        for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
            if (majorTypeAtToken() != MAJOR_TEXT) {
                throw fail("attribute names are text strings, found another key type");
            }
            String name = wellFormed(p.currentName());
            t = next();
            if (t != JsonToken.VALUE_STRING) {
                throw fail("attribute '" + printable(name) + "' is not a text string but " + describe(t));
            }
            if (attributes.put(name, wellFormed(p.getText())) != null) {
                throw fail("attribute '" + printable(name) + "' appears twice");
            }
        }
        return attributes;
    }

    /** @param pending records about to be built (the values of the next series) */
    private void checkRecordLimit(int pending) throws BatchFormatException {
        if ((long) readings.size() + events.size() + pending > BatchCodec.MAX_RECORDS) {
            throw BatchFormatException.tooLarge(path() + ": more than MAX_RECORDS (" + BatchCodec.MAX_RECORDS
                    + ") readings and events in one batch");
        }
    }

    // --- tokens -----------------------------------------------------------------------------

    private JsonToken next() throws IOException, BatchFormatException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw fail("the body ends early");
        }
        if (p.getCurrentTag() >= 0) {
            throw fail("unexpected CBOR tag " + p.getCurrentTag() + ": version 1 uses no tags");
        }
        return t;
    }

    private void expect(JsonToken actual, JsonToken expected, String what) throws BatchFormatException {
        if (actual != expected) {
            throw fail("expected " + what + ", found " + describe(actual));
        }
    }

    private String readText() throws IOException, BatchFormatException {
        expect(next(), JsonToken.VALUE_STRING, "a text string");
        return wellFormed(p.getText());
    }

    /**
     * The text, unless its UTF-8 was invalid: the CBOR parser decodes some invalid sequences (a lead byte
     * 0xF5-0xF7) into unpaired UTF-16 surrogates instead of failing, and such a string can never be written
     * again (stored, forwarded as JSON, re-encoded). Found by BatchCodecFuzzTest.
     */
    private String wellFormed(String text) throws BatchFormatException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw fail("a text string is not valid UTF-8");
            }
        }
        return text;
    }

    private long readLong() throws IOException, BatchFormatException {
        return integerValue(next(), "an integer");
    }

    private long integerValue(JsonToken t, String what) throws IOException, BatchFormatException {
        expect(t, JsonToken.VALUE_NUMBER_INT, what);
        NumberType type = p.getNumberType();
        if (type != NumberType.INT && type != NumberType.LONG) {
            throw fail("integer outside the 64-bit signed range");
        }
        return p.getLongValue();
    }

    /** An index into the string table. */
    private String readString() throws IOException, BatchFormatException {
        long i = readLong();
        if (i < 0 || i >= strings.size()) {
            throw fail("string index " + i + " outside the string table of " + strings.size());
        }
        return strings.get((int) i);
    }

    /** The CBOR major type of the byte where the current token starts. */
    private int majorTypeAtToken() {
        long offset = p.currentTokenLocation().getByteOffset();
        return offset >= 0 && offset < length ? body[(int) offset] & MAJOR_TYPE_MASK : -1;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "a map";
            case END_OBJECT -> "the end of a map";
            case START_ARRAY -> "an array";
            case END_ARRAY -> "the end of an array (too few elements)";
            case FIELD_NAME -> "a map key";
            case VALUE_STRING -> "a text string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a float";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_EMBEDDED_OBJECT -> "a byte string";
            default -> t.toString();
        };
    }

    // --- where we are -----------------------------------------------------------------------

    private void at(String section) {
        at(section, -1);
    }

    private void at(String section, int index) {
        this.section = section;
        this.index = index;
        this.sub = null;
        this.subIndex = -1;
        this.field = null;
        this.item = -1;
    }

    private void sub(String sub, int subIndex) {
        this.sub = sub;
        this.subIndex = subIndex;
        this.field = null;
        this.item = -1;
    }

    private void field(String field) {
        this.field = field;
        this.item = -1;
    }

    private void item(int item) {
        this.item = item;
    }

    private String path() {
        StringBuilder out = new StringBuilder(section);
        if (index >= 0) {
            out.append('[').append(index).append(']');
        }
        if (sub != null) {
            out.append('.').append(sub).append('[').append(subIndex).append(']');
        }
        if (field != null) {
            out.append('.').append(field);
        }
        if (item >= 0) {
            out.append('[').append(item).append(']');
        }
        return out.toString();
    }

    private BatchFormatException fail(String message) {
        return new BatchFormatException(path() + ": " + message);
    }

    /** Keeps a hostile string from flooding or splitting a log line. */
    private static String printable(String s) {
        return SafeText.clean(s, 40);
    }
}

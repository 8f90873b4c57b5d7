package org.smartschool.gateway.outbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * The compact body of an outbox row: the readings (or the events) of one device frame, with the
 * names that repeat (school, room, device, quantity, attribute names) written once per row.
 *
 * <p>Why not JSON, as rows were before: a JSON reading repeats its school, room, device, quantity
 * and unit names and costs about 130 bytes; a school's day-long outage (2.4 million readings) has to
 * fit in 100 MB of an SD card. Why not the uplink batch frame: it is a deflate stream, costly to set
 * up for a row of a few readings, and it needs a batch id the row does not have yet.
 *
 * <pre>
 * readings row: 0x01 count baseTime reading*
 *   reading:    deviceRef head [quantityName] [valueTag] value timeDelta
 * events row:   0x02 count baseTime event*
 *   event:      deviceRef typeName id timeDelta attributeCount (name value)*
 * deviceRef:    0 (same school, room and device as the record before) | 1 school room device
 * head:         one byte: low 5 bits the quantity's number in {@link #QUANTITIES} (31: its id
 *               follows as a name), high 3 bits the value's decimals 0..6 (7: a valueTag follows)
 * valueTag:     0..22 decimals | 255 the 8 bytes of the IEEE double follow
 * value:        with decimals, the zigzag varint mantissa (value = mantissa / 10^decimals, exactly)
 * timeDelta:    zigzag varint, from the record before (the first from baseTime)
 * a name:       varint 0 then varint length and UTF-8 bytes (a new name, numbered from 1 in order
 *               of appearance) | varint n (the n-th name of this row)
 * id:           0 then 16 bytes (an id in UUID form) | 1 then varint length and UTF-8 bytes
 * </pre>
 * Counts and times are unsigned varints (7 bits a byte, low first). Unit names are not stored: a
 * reading's unit is always its quantity's. Decoding checks every length and every number and throws
 * {@link IllegalArgumentException} naming what is wrong; a row decodes whole or not at all.
 */
final class CompactRecords {
    static final int READINGS_V1 = 1;
    static final int EVENTS_V1 = 2;
    /** Records of one frame per row at most; a larger frame takes several rows (see {@link Outbox}). */
    static final int MAX_RECORDS_PER_ROW = 64;

    /** Index = number in a row. Append only: a number never changes its meaning. */
    private static final Quantity[] QUANTITIES = {
        Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY, Quantity.ILLUMINANCE, Quantity.NOISE,
        Quantity.PM25, Quantity.PM10, Quantity.VOC, Quantity.PRESSURE, Quantity.POWER, Quantity.ENERGY,
        Quantity.VOLTAGE, Quantity.CURRENT, Quantity.AIR_VELOCITY, Quantity.GAS, Quantity.BATTERY,
        Quantity.RSSI, Quantity.LINK_QUALITY,
    };
    private static final Map<Quantity, Integer> QUANTITY_NUMBERS = new HashMap<>();
    private static final int BY_NAME = 31;
    private static final int QUANTITY_BITS = 0x1F;
    /** Decimals written in the head byte; more, and raw doubles, take a tag byte. */
    private static final int HEAD_DECIMALS = 6;
    private static final int TAGGED = 7;
    private static final int RAW_DOUBLE = 255;
    private static final int MAX_DECIMALS = 22;
    private static final long MAX_MANTISSA = 1L << 53;
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    static {
        if (QUANTITIES.length > 31) {
            throw new IllegalStateException("quantity numbers take 5 bits of the head byte, 31 meaning 'by name'");
        }
        for (int i = 0; i < QUANTITIES.length; i++) {
            QUANTITY_NUMBERS.put(QUANTITIES[i], i);
        }
    }

    private CompactRecords() {
    }

    static byte[] encodeReadings(List<Reading> readings) {
        Writer out = new Writer(16 + readings.size() * 8);
        out.raw(READINGS_V1);
        out.varint(readings.size());
        long previous = readings.isEmpty() ? 0 : readings.get(0).timestamp();
        out.varint(previous);
        Reading before = null;
        for (Reading r : readings) {
            out.deviceRef(before == null || !r.school().equals(before.school()) || !r.room().equals(before.room())
                    || !r.device().equals(before.device()), r.school(), r.room(), r.device());
            Integer number = QUANTITY_NUMBERS.get(r.quantity());
            int decimals = decimalsOf(r.value());
            int quantityBits = number != null ? number : BY_NAME;
            out.raw(quantityBits | (decimals >= 0 && decimals <= HEAD_DECIMALS ? decimals : TAGGED) << 5);
            if (number == null) {
                out.name(r.quantity().id());
            }
            if (decimals > HEAD_DECIMALS) {
                out.raw(decimals);
            } else if (decimals < 0) {
                out.raw(RAW_DOUBLE);
            }
            if (decimals >= 0) {
                out.zigzag(Math.round(r.value() * POW10[decimals]));
            } else {
                out.fixed64(Double.doubleToRawLongBits(r.value()));
            }
            out.zigzag(r.timestamp() - previous);
            previous = r.timestamp();
            before = r;
        }
        return out.bytes();
    }

    static byte[] encodeEvents(List<DeviceEvent> events) {
        Writer out = new Writer(32 + events.size() * 48);
        out.raw(EVENTS_V1);
        out.varint(events.size());
        long previous = events.isEmpty() ? 0 : events.get(0).timestamp();
        out.varint(previous);
        DeviceEvent before = null;
        for (DeviceEvent e : events) {
            out.deviceRef(before == null || !e.school().equals(before.school()) || !e.room().equals(before.room())
                    || !e.device().equals(before.device()), e.school(), e.room(), e.device());
            out.name(e.type().id());
            UUID uuid = uuidForm(e.id());
            if (uuid != null) {
                out.raw(0);
                out.fixed64(uuid.getMostSignificantBits());
                out.fixed64(uuid.getLeastSignificantBits());
            } else {
                out.raw(1);
                out.text(e.id());
            }
            out.zigzag(e.timestamp() - previous);
            previous = e.timestamp();
            out.varint(e.attributes().size());
            for (Map.Entry<String, String> attribute : new java.util.TreeMap<>(e.attributes()).entrySet()) {
                out.name(attribute.getKey());
                out.name(attribute.getValue());
            }
            before = e;
        }
        return out.bytes();
    }

    /** The number of records a row body holds, from its header; -1 when it is no compact row. */
    static int count(byte[] body) {
        try {
            Reader in = new Reader(body);
            int kind = in.raw();
            return kind == READINGS_V1 || kind == EVENTS_V1 ? in.count() : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static List<Reading> decodeReadings(byte[] body) {
        Reader in = new Reader(body);
        int kind = in.raw();
        if (kind != READINGS_V1) {
            throw new IllegalArgumentException("not a readings row: starts with " + kind);
        }
        int n = in.count();
        long time = in.varint();
        List<Reading> out = new ArrayList<>(n);
        String[] device = null;
        for (int i = 0; i < n; i++) {
            device = in.deviceRef(device, i);
            int head = in.raw();
            int number = head & QUANTITY_BITS;
            Quantity quantity;
            if (number == BY_NAME) {
                String id = in.name();
                quantity = Quantity.byId(id).orElseThrow(() -> new IllegalArgumentException("unknown quantity '" + id + "'"));
            } else if (number < QUANTITIES.length) {
                quantity = QUANTITIES[number];
            } else {
                throw new IllegalArgumentException("reading " + i + ": unknown quantity number " + number);
            }
            int tag = head >>> 5 == TAGGED ? in.raw() : head >>> 5;
            double value;
            if (tag == RAW_DOUBLE) {
                value = Double.longBitsToDouble(in.fixed64());
            } else if (tag <= MAX_DECIMALS) {
                long mantissa = in.zigzag();
                if (Math.abs(mantissa) > MAX_MANTISSA) {
                    throw new IllegalArgumentException("reading " + i + ": mantissa out of range");
                }
                value = mantissa / POW10[tag];
            } else {
                throw new IllegalArgumentException("reading " + i + ": unknown value tag " + tag);
            }
            time += in.zigzag();
            out.add(new Reading(device[0], device[1], device[2], quantity, value, quantity.unit(), time));
        }
        in.requireEnd();
        return out;
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static List<DeviceEvent> decodeEvents(byte[] body) {
        Reader in = new Reader(body);
        int kind = in.raw();
        if (kind != EVENTS_V1) {
            throw new IllegalArgumentException("not an events row: starts with " + kind);
        }
        int n = in.count();
        long time = in.varint();
        List<DeviceEvent> out = new ArrayList<>(n);
        String[] device = null;
        for (int i = 0; i < n; i++) {
            device = in.deviceRef(device, i);
            String typeId = in.name();
            EventType type = EventType.byId(typeId)
                    .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + typeId + "'"));
            int idForm = in.raw();
            String id;
            if (idForm == 0) {
                id = new UUID(in.fixed64(), in.fixed64()).toString();
            } else if (idForm == 1) {
                id = in.text();
            } else {
                throw new IllegalArgumentException("event " + i + ": unknown id form " + idForm);
            }
            time += in.zigzag();
            int attributes = in.count();
            Map<String, String> map = new LinkedHashMap<>();
            for (int a = 0; a < attributes; a++) {
                map.put(in.name(), in.name());
            }
            out.add(new DeviceEvent(id, device[0], device[1], device[2], type, time, map));
        }
        in.requireEnd();
        return out;
    }

    /** The fewest decimals (0..22) that give {@code value} back bit for bit, or -1. */
    static int decimalsOf(double value) {
        for (int decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
            double scaled = value * POW10[decimals];
            if (!(Math.abs(scaled) <= MAX_MANTISSA)) {
                return -1; // more decimals only make it larger (also NaN and infinities)
            }
            if (Double.doubleToLongBits(Math.round(scaled) / POW10[decimals]) == Double.doubleToLongBits(value)) {
                return decimals; // -0.0 never matches (0 / 1 is +0.0): it goes as a raw double
            }
        }
        return -1;
    }

    /** The UUID an id spells, when it spells one exactly as {@link UUID#toString} would. */
    private static UUID uuidForm(String id) {
        if (id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.toString().equals(id) ? uuid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final class Writer {
        private byte[] buf;
        private int length;
        private final Map<String, Integer> names = new HashMap<>();

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        void raw(int b) {
            ensure(1);
            buf[length++] = (byte) b;
        }

        void varint(long value) {
            ensure(10);
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buf[length++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[length++] = (byte) v;
        }

        void zigzag(long value) {
            varint((value << 1) ^ (value >> 63));
        }

        void fixed64(long value) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[length++] = (byte) (value >>> (8 * i));
            }
        }

        void text(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, length, utf8.length);
            length += utf8.length;
        }

        void name(String s) {
            Integer number = names.get(s);
            if (number != null) {
                varint(number);
                return;
            }
            varint(0);
            text(s);
            names.put(s, names.size() + 1);
        }

        void deviceRef(boolean changed, String school, String room, String device) {
            if (!changed) {
                raw(0);
                return;
            }
            raw(1);
            name(school);
            name(room);
            name(device);
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, length);
        }

        private void ensure(int more) {
            if (length + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
            }
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final List<String> names = new ArrayList<>();

        Reader(byte[] buf) {
            if (buf == null || buf.length == 0) {
                throw new IllegalArgumentException("empty row");
            }
            this.buf = buf;
        }

        int raw() {
            if (pos >= buf.length) {
                throw new IllegalArgumentException("row truncated at byte " + pos);
            }
            return buf[pos++] & 0xFF;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = raw();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes at byte " + pos);
        }

        long zigzag() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        /** A count no larger than the bytes left could hold (each record takes at least one). */
        int count() {
            long n = varint();
            if (n < 0 || n > buf.length - pos) {
                throw new IllegalArgumentException("count " + n + " at byte " + pos + " exceeds the row");
            }
            return (int) n;
        }

        long fixed64() {
            if (pos + 8 > buf.length) {
                throw new IllegalArgumentException("row truncated at byte " + pos);
            }
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value |= (long) (buf[pos++] & 0xFF) << (8 * i);
            }
            return value;
        }

        String text() {
            int n = count();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        String name() {
            long number = varint();
            if (number == 0) {
                String s = text();
                names.add(s);
                return s;
            }
            if (number > names.size()) {
                throw new IllegalArgumentException("name " + number + " at byte " + pos + " was not defined");
            }
            return names.get((int) number - 1);
        }

        String[] deviceRef(String[] before, int index) {
            int marker = raw();
            if (marker == 0 && before != null) {
                return before;
            }
            if (marker != 1) {
                throw new IllegalArgumentException("record " + index + ": bad device marker " + marker);
            }
            return new String[] {name(), name(), name()};
        }

        void requireEnd() {
            if (pos != buf.length) {
                throw new IllegalArgumentException((buf.length - pos) + " bytes after the last record");
            }
        }
    }
}

package org.smartschool.hub.store.influx;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.PersonalData;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.store.RoomKinds;

/**
 * A batch as InfluxDB points in line protocol (docs/storage.md): the readings of one device at one
 * timestamp become one {@code reading} point with a field per quantity; each event one {@code event}
 * point. Tags hold only ids from a bounded set (school, room, room kind, device, event type, event kind),
 * never event ids, card uids or free text. Tags and fields are in key order, times in milliseconds.
 *
 * <p>Rendered here rather than through influxdb-java's {@code Point}: that formats every double with a
 * {@code DecimalFormat}, which took half of the store threads' CPU in the ingest benchmark (a JFR profile,
 * README "Performance"). Doubles are written exactly (every digit survives: {@code keepsEveryDigitOfAValue},
 * {@code InfluxPointsTest}), never with an exponent: short decimals as digits of their mantissa, anything else
 * as {@code Double.toString} finds it.
 *
 * <p>Public for the ingest benchmark, which sends InfluxDB the very points the store writes
 * ({@link #lineProtocol}).
 */
public final class InfluxPoints {
    /**
     * Event attributes worth a field: small, known, never personal. Anything else (a device's free-text
     * fault detail, and every personal attribute such as a card uid) stays out of the time series.
     */
    static final Set<String> EVENT_FIELDS = Set.of("count", "in", "out", "occupied", "active", "code");
    /**
     * The event kinds written as the {@code kind} tag: part of an event's identity, because one message
     * can carry two events of one device and type at one instant that differ only in their kind (a smoke
     * detector's smoke and tamper alerts; a camera's people count and line crossing). As fields they
     * would be one point and InfluxDB would keep only the second. A fixed set keeps series cardinality
     * bounded; a kind outside it (no codec sends one) is not written.
     */
    static final Set<String> TAGGED_KINDS = Set.of("smoke", "gas", "water_leak", "tamper", "people_count", "line_crossing");
    private static final String KIND = "kind";
    /** The event id and {@link #EVENT_FIELDS}, in key order. */
    private static final List<String> EVENT_FIELD_ORDER = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(InfluxSchema.FIELD_EVENT_ID), EVENT_FIELDS.stream()).sorted().distinct().toList();
    /** Each quantity's (by ordinal) place in the order of quantity ids: fields sorted by comparing ints, not ids. */
    private static final int[] FIELD_RANK = fieldRanks();
    /** Each quantity's field key and '=', escaped once rather than for every reading. */
    private static final String[] FIELD_KEYS = Arrays.stream(Quantity.values())
            .map(q -> name(new StringBuilder(), q.id()).append('=').toString()).toArray(String[]::new);

    private static final int INITIAL_BUFFER = 64 * 1024;
    /** A store thread's text buffer, kept between its batches (the text leaves it by one copy, {@link Lines#of}). */
    private static final ThreadLocal<StringBuilder> BUFFERS = ThreadLocal.withInitial(() -> new StringBuilder(INITIAL_BUFFER));
    /** A buffer grown past this by an unusually large batch is not kept: 96 store threads would each hold one. */
    private static final int MAX_KEPT_BUFFER = 1 << 20;

    private final RoomKinds roomKinds;

    /** @param roomKinds the rooms' kinds for the {@code room_kind} tag ({@link RoomKinds#NONE}: no such tag) */
    public InfluxPoints(RoomKinds roomKinds) {
        this.roomKinds = roomKinds;
    }

    /**
     * The batch's points as line protocol, one point a line, each ending in a newline: the lines the store
     * sends to {@code /write} for it (precision ms, retention policy {@code raw}; a request's body separates
     * its batches' lines by newlines and ends without one).
     */
    public String lineProtocol(Batch batch) {
        Lines lines = of(batch);
        return lines.points() == 0 ? "" : lines.text() + "\n";
    }

    /** The batch's points: line protocol and how many lines. */
    Lines of(Batch batch) {
        // a new builder per batch was a sixth of the store threads' allocation (JFR, ingest benchmark): sized for the
        // batch, about twice its text
        StringBuilder out = BUFFERS.get();
        out.setLength(0);
        try {
            int points = readings(batch.readings(), out);
            points += events(batch, out);
            return Lines.of(out, points);
        } finally {
            if (out.capacity() > MAX_KEPT_BUFFER) {
                BUFFERS.remove();
            }
        }
    }

    /**
     * The readings as points, without a map entry, boxed double or string per reading: a batch holds its
     * readings device by device ({@code BatchCodec}: a group per room, device and time column, series by
     * series), so the device is looked up only where a run of one device's readings begins; within it,
     * timestamps are found with a cursor (the next reading usually has the next timestamp) and the fields
     * of a point are kept sorted by quantity id. Points come out device by device, each device's in the
     * order of their first reading; a quantity read twice at one instant keeps the later value.
     */
    private int readings(List<Reading> readings, StringBuilder out) {
        Map<DeviceKey, DevicePoints> devices = new HashMap<>();
        List<DevicePoints> order = new ArrayList<>();
        DevicePoints current = null;
        Reading runStart = null;
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            if (runStart == null || !sameDevice(r, runStart)) {
                DeviceKey key = new DeviceKey(r.school(), r.room(), r.device());
                current = devices.get(key);
                if (current == null) {
                    current = new DevicePoints();
                    devices.put(key, current);
                    order.add(current);
                }
                runStart = r;
            }
            current.add(readings, i);
        }
        int points = 0;
        for (DevicePoints device : order) {
            points += device.render(readings, out);
        }
        return points;
    }

    private static boolean sameDevice(Reading a, Reading b) {
        return a.device().equals(b.device()) && a.room().equals(b.room()) && a.school().equals(b.school());
    }

    /** One device's points in a batch: its timestamps, and per timestamp its readings in quantity id order. */
    private final class DevicePoints {
        private long[] times = new long[4];
        /** Per time: the readings (indexes into the batch) of its point, in quantity id order. */
        private int[][] fields = new int[4][];
        private int[] fieldCounts = new int[4];
        private int timeCount;
        private int cursor;
        private int first = -1;

        void add(List<Reading> readings, int index) {
            if (first < 0) {
                first = index;
            }
            long t = readings.get(index).timestamp();
            int at = cursor < timeCount && times[cursor] == t ? cursor : indexOf(t);
            if (at < 0) {
                at = addTime(t);
            }
            addField(at, index, readings);
            cursor = at + 1 == timeCount ? 0 : at + 1;
        }

        int render(List<Reading> readings, StringBuilder out) {
            Reading device = readings.get(first);
            int prefixStart = out.length();
            tags(out.append(InfluxSchema.READING), device.school(), device.room(), device.device(), null, null);
            // the same measurement and tags for every point of the device; as a String, because a StringBuilder's
            // append of a range of a CharSequence copies char by char
            String prefix = timeCount > 1 ? out.substring(prefixStart) : null;
            for (int p = 0; p < timeCount; p++) {
                if (p > 0) {
                    out.append(prefix);
                }
                char separator = ' ';
                int[] indexes = fields[p];
                for (int f = 0; f < fieldCounts[p]; f++) {
                    Reading r = readings.get(indexes[f]);
                    out.append(separator).append(FIELD_KEYS[r.quantity().ordinal()]);
                    number(out, r.value());
                    separator = ',';
                }
                out.append(' ').append(times[p]).append('\n');
            }
            return timeCount;
        }

        private int indexOf(long t) {
            for (int k = 0; k < timeCount; k++) {
                if (times[k] == t) {
                    return k;
                }
            }
            return -1;
        }

        private int addTime(long t) {
            if (timeCount == times.length) {
                times = Arrays.copyOf(times, timeCount * 2);
                fields = Arrays.copyOf(fields, timeCount * 2);
                fieldCounts = Arrays.copyOf(fieldCounts, timeCount * 2);
            }
            times[timeCount] = t;
            fields[timeCount] = new int[4];
            return timeCount++;
        }

        /** Inserts reading {@code index} in quantity id order; a second reading of one quantity replaces the first. */
        private void addField(int at, int index, List<Reading> readings) {
            int[] indexes = fields[at];
            int n = fieldCounts[at];
            int rank = FIELD_RANK[readings.get(index).quantity().ordinal()];
            int k = n;
            while (k > 0) {
                int order = Integer.compare(FIELD_RANK[readings.get(indexes[k - 1]).quantity().ordinal()], rank);
                if (order == 0) {
                    indexes[k - 1] = index;
                    return;
                }
                if (order < 0) {
                    break;
                }
                k--;
            }
            if (n == indexes.length) {
                indexes = Arrays.copyOf(indexes, n * 2);
                fields[at] = indexes;
            }
            System.arraycopy(indexes, k, indexes, k + 1, n - k);
            indexes[k] = index;
            fieldCounts[at] = n + 1;
        }
    }

    private static int[] fieldRanks() {
        Quantity[] byId = Quantity.values().clone();
        Arrays.sort(byId, Comparator.comparing(Quantity::id));
        int[] ranks = new int[byId.length];
        for (int r = 0; r < byId.length; r++) {
            ranks[byId[r].ordinal()] = r;
        }
        return ranks;
    }

    private int events(Batch batch, StringBuilder out) {
        int points = 0;
        for (DeviceEvent e : batch.events()) {
            if (e.type() == EventType.ATTENDANCE) {
                continue; // counted instead (attendance), never stored as an event: it names a learner
            }
            String kind = e.attributes().get(KIND);
            tags(out.append(InfluxSchema.EVENT), e.school(), e.room(), e.device(),
                    kind != null && TAGGED_KINDS.contains(kind) ? kind : null, e.type().id());
            char separator = ' ';
            // the fields in key order: the event id and the allowed attributes, looked up rather than sorted
            for (String name : EVENT_FIELD_ORDER) {
                String value = name.equals(InfluxSchema.FIELD_EVENT_ID) ? e.id()
                        : PersonalData.isPersonal(name) ? null : e.attributes().get(name);
                if (value == null) {
                    continue;
                }
                name(out.append(separator), name).append("=\"");
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (c == '"' || c == '\\') {
                        out.append('\\');
                    }
                    out.append(c);
                }
                out.append('"');
                separator = ',';
            }
            out.append(' ').append(e.timestamp()).append('\n');
            points++;
        }
        return points;
    }

    /**
     * Attendance counts as points of {@code attendance}: tags class, period (period level only), school, session;
     * an integer field per category, all four always, so that a point written again replaces every count.
     */
    static Lines attendance(List<AttendanceCounts> counts) {
        StringBuilder out = new StringBuilder(counts.size() * 128);
        for (AttendanceCounts c : counts) {
            name(out.append(InfluxSchema.ATTENDANCE).append(',').append(InfluxSchema.TAG_CLASS).append('='), c.classId());
            if (c.period() != null) {
                name(out.append(',').append(InfluxSchema.TAG_PERIOD).append('='), c.period());
            }
            name(out.append(',').append(InfluxSchema.TAG_SCHOOL).append('='), c.school());
            name(out.append(',').append(InfluxSchema.TAG_SESSION).append('='), c.session());
            char separator = ' ';
            // excused_absence, late, present, unexcused_absence: key order
            for (AttendanceCategory category : ATTENDANCE_FIELDS) {
                out.append(separator).append(category.id()).append('=').append(c.count(category)).append('i');
                separator = ',';
            }
            out.append(' ').append(dayMillis(c.date())).append('\n');
        }
        return Lines.of(out, counts.size());
    }

    /** A school day's points are at 00:00 UTC of its date: a day, not an instant. */
    static long dayMillis(java.time.LocalDate date) {
        return date.toEpochDay() * 86_400_000L;
    }

    private static final List<AttendanceCategory> ATTENDANCE_FIELDS = Arrays.stream(AttendanceCategory.values())
            .sorted(Comparator.comparing(AttendanceCategory::id)).toList();

    /** The tags in key order: device, kind, room, room_kind, school, type (absent ones left out). */
    private StringBuilder tags(StringBuilder out, String school, String room, String device, String kind, String type) {
        name(out.append(',').append(InfluxSchema.TAG_DEVICE).append('='), device);
        if (kind != null) {
            name(out.append(',').append(InfluxSchema.TAG_EVENT_KIND).append('='), kind);
        }
        name(out.append(',').append(InfluxSchema.TAG_ROOM).append('='), room);
        Optional<String> roomKind = roomKinds.kindOf(school, room);
        if (roomKind.isPresent()) {
            name(out.append(',').append(InfluxSchema.TAG_ROOM_KIND).append('='), roomKind.get());
        }
        name(out.append(',').append(InfluxSchema.TAG_SCHOOL).append('='), school);
        if (type != null) {
            name(out.append(',').append(InfluxSchema.TAG_EVENT_TYPE).append('='), type);
        }
        return out;
    }

    /** A tag value or field key: ids need no escaping, but a comma, equals sign, space or backslash would. */
    private static StringBuilder name(StringBuilder out, String text) {
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        // the usual case, an id: appended whole rather than char by char
        out.append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out;
    }

    private static boolean needsEscape(char c) {
        return c == ',' || c == '=' || c == ' ' || c == '\\';
    }

    /** Powers of ten that a long holds exactly, for decimal mantissas. */
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
        100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
        100_000_000_000_000L, 1_000_000_000_000_000L};
    /** 2^53: every long up to this is a double exactly. */
    private static final long MAX_EXACT = 1L << 53;

    /**
     * A float field: whole numbers without a fraction ("812", still a float without the 'i'), others exact.
     * Sensor values are short decimals (21.5, 412.25): the fewest decimals d whose mantissa m gives back the
     * very double as m / 10^d (both exact, so the division rounds once, as InfluxDB's parser does) are
     * written as digits, without the string {@code Double.toString} builds; anything else goes through it.
     */
    static void number(StringBuilder out, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
            return;
        }
        for (int decimals = 1; decimals < POW10.length; decimals++) {
            double scaled = value * POW10[decimals];
            if (!(Math.abs(scaled) <= MAX_EXACT)) {
                break;
            }
            long mantissa = Math.round(scaled);
            if ((double) mantissa / POW10[decimals] == value) {
                decimal(out, mantissa, decimals);
                return;
            }
        }
        String text = Double.toString(value);
        out.append(text.indexOf('E') < 0 ? text : BigDecimal.valueOf(value).toPlainString());
    }

    /** {@code mantissa / 10^decimals} in plain decimal notation. */
    private static void decimal(StringBuilder out, long mantissa, int decimals) {
        if (mantissa < 0) {
            out.append('-');
            mantissa = -mantissa;
        }
        long whole = mantissa / POW10[decimals];
        long fraction = mantissa % POW10[decimals];
        out.append(whole).append('.');
        for (int p = decimals - 1; p > 0 && fraction < POW10[p]; p--) {
            out.append('0');
        }
        out.append(fraction);
    }

    /**
     * Line protocol and its number of points. The text has no newline after its last point: influxdb-java's
     * {@code write} of several records joins them with one, so that a request of many batches is one copy of
     * their texts ({@link InfluxWriter}).
     */
    record Lines(String text, int points) {
        Lines {
            if (text.endsWith("\n")) {
                throw new IllegalArgumentException("line protocol records end without a newline");
            }
        }

        /** {@code out}'s points, each ended by a newline as rendered, less the last one. */
        static Lines of(StringBuilder out, int points) {
            if (out.length() > 0) {
                out.setLength(out.length() - 1);
            }
            return new Lines(out.toString(), points);
        }
    }

    private record DeviceKey(String school, String room, String device) {
    }

}

package org.smartschool.hub.store.influx;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.PersonalData;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.RoomKinds;

/**
 * A batch as InfluxDB points in line protocol (docs/storage.md): the readings of one device at one
 * timestamp become one {@code reading} point with a field per quantity; each event one {@code event}
 * point. Tags hold only ids from a bounded set (school, room, room kind, device, event type, event kind),
 * never event ids, card uids or free text. Tags and fields are in key order, times in milliseconds.
 *
 * <p>Rendered here rather than through influxdb-java's {@code Point}: that formats every double with a
 * {@code DecimalFormat}, which took half of the store threads' CPU in the ingest benchmark (a JFR profile,
 * README "Performance"). Doubles are written in their shortest exact decimal form, as {@code Double.toString}
 * finds it (so every digit survives: {@code keepsEveryDigitOfAValue}), never with an exponent.
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

    private final RoomKinds roomKinds;

    /** @param roomKinds the rooms' kinds for the {@code room_kind} tag ({@link RoomKinds#NONE}: no such tag) */
    public InfluxPoints(RoomKinds roomKinds) {
        this.roomKinds = roomKinds;
    }

    /**
     * The batch's points as line protocol, one point a line (each ending in a newline), exactly the body
     * the store sends to {@code /write} for it (precision ms, retention policy {@code raw}).
     */
    public String lineProtocol(Batch batch) {
        return of(batch).text();
    }

    /** The batch's points: line protocol and how many lines. */
    Lines of(Batch batch) {
        StringBuilder out = new StringBuilder(batch.readings().size() * 48 + batch.events().size() * 128);
        Map<PointKey, TreeMap<String, Double>> readings = new LinkedHashMap<>();
        for (Reading r : batch.readings()) {
            readings.computeIfAbsent(new PointKey(r.school(), r.room(), r.device(), r.timestamp()), key -> new TreeMap<>())
                    .put(r.quantity().id(), r.value());
        }
        int points = 0;
        for (Map.Entry<PointKey, TreeMap<String, Double>> point : readings.entrySet()) {
            PointKey key = point.getKey();
            tags(out.append(InfluxSchema.READING), key.school(), key.room(), key.device(), null, null);
            char separator = ' ';
            for (Map.Entry<String, Double> field : point.getValue().entrySet()) {
                name(out.append(separator), field.getKey()).append('=');
                number(out, field.getValue());
                separator = ',';
            }
            out.append(' ').append(key.timestamp()).append('\n');
            points++;
        }
        for (DeviceEvent e : batch.events()) {
            String kind = e.attributes().get(KIND);
            tags(out.append(InfluxSchema.EVENT), e.school(), e.room(), e.device(),
                    kind != null && TAGGED_KINDS.contains(kind) ? kind : null, e.type().id());
            TreeMap<String, String> fields = new TreeMap<>();
            fields.put(InfluxSchema.FIELD_EVENT_ID, e.id());
            e.attributes().forEach((name, value) -> {
                if (EVENT_FIELDS.contains(name) && !PersonalData.isPersonal(name)) {
                    fields.put(name, value);
                }
            });
            char separator = ' ';
            for (Map.Entry<String, String> field : fields.entrySet()) {
                name(out.append(separator), field.getKey()).append("=\"");
                for (int i = 0; i < field.getValue().length(); i++) {
                    char c = field.getValue().charAt(i);
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
        return new Lines(out.toString(), points);
    }

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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '=' || c == ' ' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out;
    }

    /** A float field: whole numbers without a fraction ("812", still a float without the 'i'), others exact. */
    private static void number(StringBuilder out, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
            return;
        }
        String text = Double.toString(value);
        out.append(text.indexOf('E') < 0 ? text : BigDecimal.valueOf(value).toPlainString());
    }

    /** Line protocol and its number of points. */
    record Lines(String text, int points) {
    }

    /** Readings with the same key are one InfluxDB point. */
    private record PointKey(String school, String room, String device, long timestamp) {
    }
}

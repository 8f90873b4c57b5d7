package org.smartschool.hub.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.PersonalData;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;

/**
 * The InfluxDB points the hub writes for a batch, as line protocol: the one place the ingest benchmark
 * renders them, so that InfluxDB's raw ceiling is measured on the very points the hub's store writes.
 *
 * <p>Provisional until the InfluxDB store is merged: it follows that store's schema as drafted
 * (docs/storage.md there): the readings of one device at one timestamp make one {@code reading} point,
 * tags {@code school, room, device}, one float field per quantity; each event one {@code event} point,
 * tag {@code type}, fields {@code id} and its small non-personal attributes. (The store also tags
 * {@code room_kind} when the registry knows the room; loadgen's schools are not in a registry.) After
 * the merge, replace {@link #render} by the store's own rendering (its {@code BatchPoints.lineProtocol()}).
 *
 * <p>One difference from that draft: an alert's {@code kind} is a tag here, not a field. A smoke detector's
 * message carries two alerts at one instant (smoke and tamper); with {@code kind} as a field both are the
 * same point (measurement, tags, time) and InfluxDB keeps only the second ({@code BenchPointsTest} finds it).
 * The kinds are a small fixed set, so the tag keeps series cardinality bounded.
 */
final class BenchPoints {
    private static final Set<String> EVENT_FIELDS = Set.of("count", "in", "out", "occupied", "active", "code");
    /** Part of an event's identity: two alerts of one detector at one instant differ only in it. */
    private static final String KIND = "kind";

    private BenchPoints() {
    }

    /** Appends the batch's points, one line each, and returns how many. */
    static int render(Batch batch, StringBuilder out) {
        Map<String, StringBuilder> readings = new LinkedHashMap<>();
        for (Reading r : batch.readings()) {
            String key = r.room() + '\u0000' + r.device() + '\u0000' + r.timestamp();
            StringBuilder fields = readings.computeIfAbsent(key, k -> new StringBuilder());
            if (fields.length() > 0) {
                fields.append(',');
            }
            fields.append(r.quantity().id()).append('=').append(r.value());
        }
        int points = 0;
        for (Map.Entry<String, StringBuilder> point : readings.entrySet()) {
            String[] key = point.getKey().split("\u0000");
            // ids are [A-Za-z0-9._-]: nothing in a tag needs escaping
            out.append("reading,device=").append(key[1]).append(",room=").append(key[0])
                    .append(",school=").append(batch.school()).append(' ').append(point.getValue())
                    .append(' ').append(key[2]).append('\n');
            points++;
        }
        for (DeviceEvent e : batch.events()) {
            out.append("event,device=").append(e.device());
            String kind = e.attributes().get(KIND);
            if (kind != null && !kind.isEmpty()) {
                out.append(",kind=").append(tagValue(kind));
            }
            out.append(",room=").append(e.room()).append(",school=").append(e.school())
                    .append(",type=").append(e.type().id()).append(" id=").append(quoted(e.id()));
            new TreeMap<>(e.attributes()).forEach((name, value) -> {
                if (EVENT_FIELDS.contains(name) && !PersonalData.isPersonal(name)) {
                    out.append(',').append(name).append('=').append(quoted(value));
                }
            });
            out.append(' ').append(e.timestamp()).append('\n');
            points++;
        }
        return points;
    }

    /** Line protocol escapes commas, equals signs and spaces in tag values. */
    private static String tagValue(String text) {
        return text.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ");
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}

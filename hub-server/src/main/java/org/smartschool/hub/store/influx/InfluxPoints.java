package org.smartschool.hub.store.influx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.influxdb.InfluxDB.ConsistencyLevel;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.PersonalData;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.RoomKinds;

/**
 * A batch as InfluxDB points (docs/storage.md): the readings of one device at one timestamp become one
 * {@code reading} point with a field per quantity; each event one {@code event} point. Tags hold only
 * ids from a bounded set (school, room, room kind, device, event type, event kind), never event ids,
 * card uids or free text.
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

    private final String database;
    private final RoomKinds roomKinds;

    /** @param roomKinds the rooms' kinds for the {@code room_kind} tag ({@link RoomKinds#NONE}: no such tag) */
    public InfluxPoints(String database, RoomKinds roomKinds) {
        this.database = database;
        this.roomKinds = roomKinds;
    }

    /**
     * The batch's points as line protocol, one point a line (each ending in a newline), exactly the body
     * the store sends to {@code /write} for it (precision ms, retention policy {@code raw}).
     */
    public String lineProtocol(Batch batch) {
        return of(batch).lineProtocol();
    }

    BatchPoints of(Batch batch) {
        // QUORUM matters on a cluster (Enterprise): the write is accepted when most replicas have it;
        // a single InfluxDB ignores it
        BatchPoints.Builder points = BatchPoints.database(database)
                .retentionPolicy(InfluxSchema.RAW_POLICY)
                .consistency(ConsistencyLevel.QUORUM)
                .precision(TimeUnit.MILLISECONDS);
        Map<PointKey, Point.Builder> readings = new LinkedHashMap<>();
        for (Reading r : batch.readings()) {
            readings.computeIfAbsent(new PointKey(r.room(), r.device(), r.timestamp()),
                            key -> point(InfluxSchema.READING, r.school(), r.room(), r.device(), r.timestamp()))
                    .addField(r.quantity().id(), r.value());
        }
        readings.values().forEach(p -> points.point(p.build()));
        for (DeviceEvent e : batch.events()) {
            Point.Builder point = point(InfluxSchema.EVENT, e.school(), e.room(), e.device(), e.timestamp())
                    .tag(InfluxSchema.TAG_EVENT_TYPE, e.type().id())
                    .addField(InfluxSchema.FIELD_EVENT_ID, e.id());
            String kind = e.attributes().get(KIND);
            if (kind != null && TAGGED_KINDS.contains(kind)) {
                point.tag(InfluxSchema.TAG_EVENT_KIND, kind);
            }
            new TreeMap<>(e.attributes()).forEach((name, value) -> {
                if (EVENT_FIELDS.contains(name) && !PersonalData.isPersonal(name)) {
                    point.addField(name, value);
                }
            });
            points.point(point.build());
        }
        return points.build();
    }

    private Point.Builder point(String measurement, String school, String room, String device, long timestamp) {
        Point.Builder point = Point.measurement(measurement)
                .time(timestamp, TimeUnit.MILLISECONDS)
                .tag(InfluxSchema.TAG_SCHOOL, school)
                .tag(InfluxSchema.TAG_ROOM, room)
                .tag(InfluxSchema.TAG_DEVICE, device);
        roomKinds.kindOf(school, room).ifPresent(kind -> point.tag(InfluxSchema.TAG_ROOM_KIND, kind));
        return point;
    }

    /** Readings with the same key are one InfluxDB point. */
    private record PointKey(String room, String device, long timestamp) {
    }
}

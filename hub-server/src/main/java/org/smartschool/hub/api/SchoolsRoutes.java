package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.RoomRef;

/**
 * {@code GET /api/v1/schools}: every school (in the registry, configured or heard from), its gateways with when
 * they were last heard from, and its rooms (registered or reporting) with the latest value of each quantity, for
 * the overview page; and per school a {@code summary}: its {@code status} ({@value #NO_DATA} until a reading is
 * stored, then {@value #ONLINE} or {@value #OFFLINE}), gateways online (heard from within {@link #ONLINE_WITHIN})
 * and offline, rooms, the newest reading's time and how many latest values are outside the default
 * {@link ComfortLimits}. A registered school's name is the registry's.
 */
public final class SchoolsRoutes implements RouteGroup {
    /** Gateways send a batch every few seconds and a health report every minute: five silent minutes is offline. */
    static final Duration ONLINE_WITHIN = Duration.ofMinutes(5);
    static final String NO_DATA = "no data";
    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    private final ReadingStore store;
    private final WorkerExecutor worker;
    private final List<GatewayConfig> gateways;
    private final RegisteredPlaces registered;
    private final Clock clock;

    public SchoolsRoutes(ReadingStore store, WorkerExecutor worker, List<GatewayConfig> gateways, Clock clock) {
        this(store, worker, gateways, RegisteredPlaces.NONE, clock);
    }

    public SchoolsRoutes(ReadingStore store, WorkerExecutor worker, List<GatewayConfig> gateways,
                         RegisteredPlaces registered, Clock clock) {
        this.store = store;
        this.worker = worker;
        this.gateways = List.copyOf(gateways);
        this.registered = registered;
        this.clock = clock;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/schools").handler(this::schools);
    }

    private void schools(RoutingContext rc) {
        worker.executeBlocking(() -> new Snapshot(registered.schools(), store.rooms(), store.latestValues(),
                        store.gatewayStatuses()), false)
                .onSuccess(snapshot -> Responses.json(rc, 200, body(snapshot, rc.queryParams().get("school"))))
                .onFailure(rc::fail);
    }

    private record Snapshot(Map<String, RegisteredPlaces.Place> registered, List<RoomRef> rooms, List<LatestValue> latest,
                            List<GatewayStatus> statuses) {
    }

    /** @param only {@code school=}: that school alone; null or empty for all */
    private JsonObject body(Snapshot snapshot, String only) {
        Map<String, School> schools = new TreeMap<>();
        for (GatewayConfig g : gateways) {
            School school = schools.computeIfAbsent(g.school(), School::new);
            school.name = g.schoolName();
            school.gateways.put(g.id(), new JsonObject().put("gateway", g.id()));
        }
        snapshot.registered().forEach((id, place) -> {
            School school = schools.computeIfAbsent(id, School::new);
            school.name = place.name();
            place.rooms().forEach(school::room);
        });
        for (GatewayStatus s : snapshot.statuses()) {
            schools.computeIfAbsent(s.school(), School::new).gateways
                    .computeIfAbsent(s.gateway(), id -> new JsonObject().put("gateway", id))
                    .put("lastSeen", iso(s.lastSeen()))
                    .put("lastSeenTimestamp", s.lastSeen());
        }
        for (RoomRef room : snapshot.rooms()) {
            schools.computeIfAbsent(room.school(), School::new).room(room.room());
        }
        for (LatestValue v : snapshot.latest()) {
            School school = schools.computeIfAbsent(v.school(), School::new);
            school.room(v.room()).add(LatestJson.of(v));
            school.lastReading = Math.max(school.lastReading, v.timestamp());
            school.outOfComfort += ComfortLimits.outside(v) ? 1 : 0;
        }
        long onlineSince = clock.millis() - ONLINE_WITHIN.toMillis();
        JsonArray out = new JsonArray();
        schools.values().stream().filter(s -> only == null || only.isEmpty() || s.id.equals(only))
                .forEach(s -> out.add(s.toJson(onlineSince)));
        return new JsonObject().put("time", iso(clock.millis())).put("schools", out);
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static final class School {
        final String id;
        String name;
        final Map<String, JsonObject> gateways = new TreeMap<>();
        final Map<String, JsonArray> rooms = new LinkedHashMap<>();
        long lastReading = -1;
        int outOfComfort;

        School(String id) {
            this.id = id;
            this.name = id;
        }

        JsonArray room(String room) {
            return rooms.computeIfAbsent(room, r -> new JsonArray());
        }

        JsonObject toJson(long onlineSince) {
            long online = gateways.values().stream()
                    .filter(g -> g.getLong("lastSeenTimestamp", Long.MIN_VALUE) >= onlineSince).count();
            JsonObject summary = new JsonObject()
                    .put("status", lastReading < 0 ? NO_DATA : online > 0 ? ONLINE : OFFLINE)
                    .put("gatewaysOnline", online)
                    .put("gatewaysOffline", gateways.size() - online)
                    .put("rooms", rooms.size())
                    .put("outOfComfort", outOfComfort);
            if (lastReading >= 0) {
                summary.put("lastReading", iso(lastReading)).put("lastReadingTimestamp", lastReading);
            }
            JsonArray roomList = new JsonArray();
            new TreeMap<>(rooms).forEach((room, values) -> roomList.add(new JsonObject().put("room", room).put("latest", values)));
            return new JsonObject()
                    .put("school", id)
                    .put("name", name)
                    .put("gateways", new JsonArray(List.copyOf(gateways.values())))
                    .put("summary", summary)
                    .put("rooms", roomList);
        }
    }
}

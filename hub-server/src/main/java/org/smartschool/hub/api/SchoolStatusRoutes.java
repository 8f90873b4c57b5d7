package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.DeviceLastSeen;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.RoomRef;

/**
 * One school's live state, from the time-series store:
 * <ul>
 *   <li>{@code GET /api/v1/schools/{school}/rooms}: every room that reported, with the latest value of each
 *       quantity, when it last reported and how many of its values are outside the default comfort limits;</li>
 *   <li>{@code GET /api/v1/schools/{school}/devices}: every device (and sub-device) with the time of its newest
 *       reading or event and how long ago that was, computed by the store.</li>
 * </ul>
 * An unknown school is 404 ({@link KnownPlaces}); a school id that cannot be an id is 400 naming {@code school}.
 */
public final class SchoolStatusRoutes implements RouteGroup {
    private final ReadingStore store;
    private final WorkerExecutor worker;
    private final HubMetrics metrics;
    private final KnownPlaces known;
    private final RegisteredPlaces registered;
    private final Clock clock;

    public SchoolStatusRoutes(ReadingStore store, WorkerExecutor worker, HubMetrics metrics, List<GatewayConfig> gateways,
                              Clock clock) {
        this(store, worker, metrics, gateways, RegisteredPlaces.NONE, clock);
    }

    /** @param registered the registry's schools and rooms: a registered room is listed before it reports */
    public SchoolStatusRoutes(ReadingStore store, WorkerExecutor worker, HubMetrics metrics, List<GatewayConfig> gateways,
                              RegisteredPlaces registered, Clock clock) {
        this.store = store;
        this.worker = worker;
        this.metrics = metrics;
        this.known = new KnownPlaces(store, gateways, registered);
        this.registered = registered;
        this.clock = clock;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/schools/:school/rooms").handler(this::rooms);
        router.get("/api/v1/schools/:school/devices").handler(this::devices);
    }

    private String school(RoutingContext rc) {
        String school = rc.pathParam("school");
        if (!Ids.isValid(school)) {
            metrics.httpBadRequest();
            Responses.error(rc, 400, "school must be an id (1-64 letters, digits, '.', '_', '-')", "school");
            return null;
        }
        return school;
    }

    private record Rooms(List<String> rooms, List<LatestValue> latest, String unknown) {
    }

    private void rooms(RoutingContext rc) {
        String school = school(rc);
        if (school == null) {
            return;
        }
        worker.executeBlocking(() -> {
            java.util.SortedSet<String> rooms = new java.util.TreeSet<>();
            store.rooms().stream().filter(r -> r.school().equals(school)).map(RoomRef::room).forEach(rooms::add);
            RegisteredPlaces.Place place = registered.schools().get(school);
            if (place != null) {
                rooms.addAll(place.rooms());
            }
            List<LatestValue> latest = store.latestValues().stream().filter(v -> v.school().equals(school)).toList();
            return new Rooms(List.copyOf(rooms), latest, rooms.isEmpty() ? known.unknown(school, null) : null);
        }, false).onSuccess(found -> {
            if (found.unknown() != null) {
                Responses.error(rc, 404, found.unknown(), null);
            } else {
                Responses.json(rc, 200, roomsBody(school, found));
            }
        }).onFailure(rc::fail);
    }

    private JsonObject roomsBody(String school, Rooms found) {
        Map<String, JsonObject> rooms = new TreeMap<>();
        found.rooms().forEach(room -> rooms.put(room, new JsonObject().put("room", room).put("outOfComfort", 0)
                .put("latest", new JsonArray())));
        for (LatestValue v : found.latest()) {
            JsonObject room = rooms.computeIfAbsent(v.room(), r -> new JsonObject().put("room", r).put("outOfComfort", 0)
                    .put("latest", new JsonArray()));
            room.getJsonArray("latest").add(LatestJson.of(v));
            if (ComfortLimits.outside(v)) {
                room.put("outOfComfort", room.getInteger("outOfComfort") + 1);
            }
            if (!room.containsKey("lastReadingTimestamp") || room.getLong("lastReadingTimestamp") < v.timestamp()) {
                room.put("lastReading", iso(v.timestamp())).put("lastReadingTimestamp", v.timestamp());
            }
        }
        return new JsonObject().put("school", school).put("time", iso(clock.millis()))
                .put("rooms", new JsonArray(List.copyOf(rooms.values())));
    }

    private record Devices(List<DeviceLastSeen> devices, String unknown) {
    }

    private void devices(RoutingContext rc) {
        String school = school(rc);
        if (school == null) {
            return;
        }
        worker.executeBlocking(() -> {
            List<DeviceLastSeen> devices = store.devicesLastSeen(school);
            return new Devices(devices, devices.isEmpty() ? known.unknown(school, null) : null);
        }, false).onSuccess(found -> {
            if (found.unknown() != null) {
                Responses.error(rc, 404, found.unknown(), null);
                return;
            }
            long now = clock.millis();
            JsonArray devices = new JsonArray();
            for (DeviceLastSeen d : found.devices()) {
                devices.add(new JsonObject()
                        .put("device", d.device())
                        .put("room", d.room())
                        .put("lastSeen", iso(d.lastSeen()))
                        .put("lastSeenTimestamp", d.lastSeen())
                        .put("silentSeconds", Math.max(0, (now - d.lastSeen()) / 1000)));
            }
            Responses.json(rc, 200, new JsonObject().put("school", school).put("time", iso(now)).put("devices", devices));
        }).onFailure(rc::fail);
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}

package org.smartschool.hub.api;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.inventory.InventoryException;
import org.smartschool.hub.inventory.InventoryReader;
import org.smartschool.hub.inventory.InventoryWriter;
import org.smartschool.hub.registry.Building;
import org.smartschool.hub.registry.CredentialHash;
import org.smartschool.hub.registry.Equipment;
import org.smartschool.hub.registry.EquipmentStatus;
import org.smartschool.hub.registry.Gateway;
import org.smartschool.hub.registry.InvalidRegistryException;
import org.smartschool.hub.registry.MaintenanceEntry;
import org.smartschool.hub.registry.RegistryConflictException;
import org.smartschool.hub.registry.RegistryGatewayCredentials;
import org.smartschool.hub.registry.RegistryNotFoundException;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.registry.RegistryStore.Change;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.RoomKind;
import org.smartschool.hub.registry.School;

/**
 * The registry API under {@code /api/v1/registry}: schools, their buildings and rooms, equipment with
 * its maintenance log, gateway registration and the YAML export (each path in {@code openapi.yaml}).
 * Every database call runs on {@code worker}. Changes need the API token when one is configured, and
 * come from loopback otherwise.
 */
public final class RegistryRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    static final String BASE = "/api/v1/registry";
    private static final String SCHOOL = BASE + "/schools/:school";
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final RegistryStore store;
    private final WorkerExecutor worker;
    private final RegistryGatewayCredentials credentials;
    private final Set<String> configuredGateways;

    /**
     * @param configuredGateways ids of the gateways listed in hub.yaml: those keep their secret from there
     */
    public RegistryRoutes(RegistryStore store, WorkerExecutor worker, RegistryGatewayCredentials credentials,
                          Set<String> configuredGateways) {
        this.store = store;
        this.worker = worker;
        this.credentials = credentials;
        this.configuredGateways = Set.copyOf(configuredGateways);
    }

    @Override
    public void mount(Router router) {
        router.get(BASE + "/schools").handler(this::listSchools);
        router.get(SCHOOL).handler(this::getSchool);
        router.get(SCHOOL + "/buildings").handler(this::listBuildings);
        router.get(SCHOOL + "/rooms").handler(this::listRooms);
        router.get(SCHOOL + "/rooms/:room").handler(this::getRoom);
        router.put(SCHOOL + "/rooms/:room").handler(body()).handler(this::putRoom);
        router.delete(SCHOOL + "/rooms/:room").handler(this::deleteRoom);
        router.get(SCHOOL + "/equipment").handler(this::listEquipment);
        router.get(SCHOOL + "/equipment/:equipment").handler(this::getEquipment);
        router.put(SCHOOL + "/equipment/:equipment").handler(body()).handler(this::putEquipment);
        router.delete(SCHOOL + "/equipment/:equipment").handler(this::deleteEquipment);
        router.get(SCHOOL + "/equipment/:equipment/maintenance").handler(this::getMaintenance);
        router.post(SCHOOL + "/equipment/:equipment/maintenance").handler(body())
                .handler(this::addMaintenance);
        router.post(SCHOOL + "/gateways").handler(body()).handler(this::registerGateway);
        router.get(BASE + "/export").handler(this::export);
    }

    private static BodyHandler body() {
        return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    }

    // ---- reads ----

    private void listSchools(RoutingContext rc) {
        String only = rc.queryParams().get("school");
        run(rc, store::schools, schools -> {
            JsonArray out = new JsonArray();
            schools.stream().filter(s -> only == null || only.isEmpty() || s.id().equals(only))
                    .forEach(s -> out.add(schoolSummary(s)));
            Responses.json(rc, 200, new JsonObject().put("schools", out));
        });
    }

    private void getSchool(RoutingContext rc) {
        withSchool(rc, school -> {
            JsonObject body = schoolSummary(school);
            body.put("buildings", buildings(school));
            Responses.json(rc, 200, body);
        });
    }

    private void listBuildings(RoutingContext rc) {
        withSchool(rc, school -> Responses.json(rc, 200,
                new JsonObject().put("school", school.id()).put("buildings", buildings(school))));
    }

    private void listRooms(RoutingContext rc) {
        String kindParam = rc.queryParams().get("kind");
        Optional<RoomKind> kind = Optional.empty();
        if (kindParam != null) {
            kind = RoomKind.byId(kindParam);
            if (kind.isEmpty()) {
                badParameter(rc, "kind", "kind must be one of " + RoomKind.names());
                return;
            }
        }
        Predicate<Room> wanted = kind.<Predicate<Room>>map(k -> r -> r.kind() == k).orElse(r -> true);
        withSchool(rc, school -> {
            JsonArray rooms = new JsonArray();
            for (Building b : school.buildings()) {
                b.rooms().stream().filter(wanted).forEach(r -> rooms.add(room(b, r)));
            }
            Responses.json(rc, 200, new JsonObject().put("school", school.id()).put("rooms", rooms));
        });
    }

    private void getRoom(RoutingContext rc) {
        String roomId = pathId(rc, "room");
        if (roomId == null) {
            return;
        }
        withSchool(rc, school -> {
            Room room = school.room(roomId).orElseThrow(() -> noRoom(school, roomId));
            JsonArray equipment = new JsonArray();
            room.equipment().forEach(e -> equipment.add(json(InventoryWriter.equipment(e))));
            Responses.json(rc, 200, room(school.buildingOf(roomId).orElseThrow(), room)
                    .put("school", school.id()).put("equipment", equipment));
        });
    }

    private void listEquipment(RoutingContext rc) {
        String roomFilter = rc.queryParams().get("room");
        String statusParam = rc.queryParams().get("status");
        if (roomFilter != null && !Ids.isValid(roomFilter)) {
            badParameter(rc, "room", "room must be an id (1-64 letters, digits, '.', '_', '-')");
            return;
        }
        Optional<EquipmentStatus> status = Optional.empty();
        if (statusParam != null) {
            status = EquipmentStatus.byId(statusParam);
            if (status.isEmpty()) {
                badParameter(rc, "status", "status must be one of " + EquipmentStatus.names());
                return;
            }
        }
        Optional<EquipmentStatus> wantedStatus = status;
        withSchool(rc, school -> {
            if (roomFilter != null && school.room(roomFilter).isEmpty()) {
                throw noRoom(school, roomFilter);
            }
            JsonArray out = new JsonArray();
            school.rooms().filter(r -> roomFilter == null || r.id().equals(roomFilter))
                    .forEach(r -> r.equipment().stream()
                            .filter(e -> wantedStatus.isEmpty() || e.status() == wantedStatus.get())
                            .forEach(e -> out.add(json(InventoryWriter.equipment(e)).put("room", r.id()))));
            Responses.json(rc, 200, new JsonObject().put("school", school.id()).put("equipment", out));
        });
    }

    private void getEquipment(RoutingContext rc) {
        String id = pathId(rc, "equipment");
        if (id == null) {
            return;
        }
        withSchool(rc, school -> {
            Equipment e = school.equipment(id).orElseThrow(() -> noEquipment(school, id));
            Responses.json(rc, 200, json(InventoryWriter.equipment(e))
                    .put("school", school.id()).put("room", school.roomOf(id).orElseThrow().id()));
        });
    }

    private void getMaintenance(RoutingContext rc) {
        String id = pathId(rc, "equipment");
        if (id == null) {
            return;
        }
        withSchool(rc, school -> {
            Equipment e = school.equipment(id).orElseThrow(() -> noEquipment(school, id));
            JsonArray log = new JsonArray();
            e.maintenance().forEach(m -> log.add(json(InventoryWriter.maintenance(m))));
            Responses.json(rc, 200, new JsonObject().put("school", school.id()).put("equipment", id).put("maintenance", log));
        });
    }

    private void export(RoutingContext rc) {
        run(rc, () -> InventoryWriter.write(store.registry()), yaml -> rc.response()
                .putHeader("Content-Type", "application/yaml; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"inventory.yaml\"")
                .end(yaml));
    }

    // ---- changes ----

    private void putRoom(RoutingContext rc) {
        String schoolId = pathId(rc, "school");
        String roomId = schoolId == null ? null : pathId(rc, "room");
        JsonObject body = roomId == null ? null : jsonBody(rc);
        if (body == null) {
            return;
        }
        String building = takeParentId(rc, body, "building", "building must be the id of one of the school's buildings");
        if (building == INVALID) {
            return;
        }
        Room room = parsed(rc, () -> InventoryReader.room("request body", withId(body, roomId)));
        if (room == null) {
            return;
        }
        run(rc, () -> {
            String target = building;
            if (target == null) {
                School school = school(schoolId);
                target = school.buildingOf(roomId).map(Building::id).orElseThrow(() ->
                        new BadParameterException("building", "building is required for a new room"));
            }
            return store.putRoom(schoolId, target, room);
        }, change -> changed(rc, change, json(InventoryWriter.roomFields(room)).put("school", schoolId)));
    }

    /** Reads a registry record from a request body; may refuse it as the inventory file would be. */
    @FunctionalInterface
    private interface BodyReader<T> {
        T read() throws InventoryException;
    }

    /** The record {@code reader} makes of the body, or null after answering 400 with the key it refused. */
    private static <T> T parsed(RoutingContext rc, BodyReader<T> reader) {
        try {
            return reader.read();
        } catch (InventoryException e) {
            badParameter(rc, e.key().isEmpty() ? "body" : e.key(), e.problem());
        } catch (BadParameterException e) {
            badParameter(rc, e.parameter(), e.getMessage());
        }
        return null;
    }

    /** Answered 400 already: the caller stops (compared by identity). */
    private static final String INVALID = new String("invalid parent id");

    /**
     * The parent a PUT body may name ({@code building} of a room, {@code room} of equipment), taken out of
     * the body: null when absent (the stored parent stays), {@link #INVALID} after answering 400.
     */
    private String takeParentId(RoutingContext rc, JsonObject body, String field, String problem) {
        if (!body.containsKey(field)) {
            return null;
        }
        Object value = body.remove(field); // an explicit null is refused, as any other non-id
        if (!(value instanceof String id) || !Ids.isValid(id)) {
            badParameter(rc, field, problem);
            return INVALID;
        }
        return id;
    }

    private School school(String schoolId) {
        return store.school(schoolId).orElseThrow(() -> new RegistryNotFoundException("no school '" + schoolId + "'"));
    }

    private void deleteRoom(RoutingContext rc) {
        String schoolId = pathId(rc, "school");
        String roomId = schoolId == null ? null : pathId(rc, "room");
        if (roomId == null) {
            return;
        }
        run(rc, () -> {
            School school = school(schoolId);
            if (!store.deleteRoom(schoolId, roomId)) {
                throw noRoom(school, roomId);
            }
            return true;
        }, deleted -> rc.response().setStatusCode(204).end());
    }

    private void putEquipment(RoutingContext rc) {
        String schoolId = pathId(rc, "school");
        String id = schoolId == null ? null : pathId(rc, "equipment");
        JsonObject body = id == null ? null : jsonBody(rc);
        if (body == null) {
            return;
        }
        String roomId = takeParentId(rc, body, "room", "room must be the id of one of the school's rooms");
        if (roomId == INVALID) {
            return;
        }
        Equipment equipment = parsed(rc, () -> InventoryReader.equipment("request body", withId(body, id)));
        if (equipment == null) {
            return;
        }
        run(rc, () -> {
            String target = roomId;
            if (target == null) {
                School school = school(schoolId);
                target = school.roomOf(id).map(Room::id).orElseThrow(() ->
                        new BadParameterException("room", "room is required for new equipment"));
            }
            String room = target;
            Change change = store.putEquipment(schoolId, room, equipment);
            Equipment stored = store.school(schoolId).flatMap(s -> s.equipment(id)).orElse(equipment);
            return new Object[] {change, json(InventoryWriter.equipment(stored)).put("school", schoolId).put("room", room)};
        }, result -> changed(rc, (Change) result[0], (JsonObject) result[1]));
    }

    private void deleteEquipment(RoutingContext rc) {
        String schoolId = pathId(rc, "school");
        String id = schoolId == null ? null : pathId(rc, "equipment");
        if (id == null) {
            return;
        }
        run(rc, () -> {
            School school = school(schoolId);
            if (!store.deleteEquipment(schoolId, id)) {
                throw noEquipment(school, id);
            }
            return true;
        }, deleted -> rc.response().setStatusCode(204).end());
    }

    private void addMaintenance(RoutingContext rc) {
        String schoolId = pathId(rc, "school");
        String id = schoolId == null ? null : pathId(rc, "equipment");
        JsonObject body = id == null ? null : jsonBody(rc);
        if (body == null) {
            return;
        }
        MaintenanceEntry entry = parsed(rc, () -> InventoryReader.maintenanceEntry("request body", body.toBuffer().getBytes()));
        if (entry == null) {
            return;
        }
        run(rc, () -> {
            if (store.school(schoolId).isEmpty()) {
                throw new RegistryNotFoundException("no school '" + schoolId + "'");
            }
            store.addMaintenance(schoolId, id, entry);
            return store.school(schoolId).flatMap(s -> s.equipment(id)).orElseThrow();
        }, equipment -> {
            JsonArray log = new JsonArray();
            equipment.maintenance().forEach(m -> log.add(json(InventoryWriter.maintenance(m))));
            Responses.json(rc, 201, new JsonObject().put("school", schoolId).put("equipment", id)
                    .put("added", json(InventoryWriter.maintenance(entry))).put("maintenance", log));
        });
    }

    private void registerGateway(RoutingContext rc) {
        String schoolId = pathId(rc, "school");
        JsonObject body = schoolId == null ? null : jsonBody(rc);
        if (body == null) {
            return;
        }
        Object idValue = body.getValue("id");
        if (!(idValue instanceof String id) || !Ids.isValid(id)) {
            badParameter(rc, "id", "id is required: the gateway id (1-64 letters, digits, '.', '_', '-')");
            return;
        }
        if (configuredGateways.contains(id)) {
            Responses.error(rc, 409, "gateway '" + id + "' is configured in hub.yaml, which keeps its secret", null);
            return;
        }
        Gateway gateway;
        try {
            Object name = body.getValue("name");
            if (name != null && !(name instanceof String)) {
                badParameter(rc, "name", "name must be text");
                return;
            }
            gateway = new Gateway(id, (String) name);
        } catch (InvalidRegistryException e) {
            badParameter(rc, e.field(), e.getMessage());
            return;
        }
        for (String key : body.fieldNames()) {
            if (!key.equals("id") && !key.equals("name")) {
                badParameter(rc, key, "unknown key; expected id, name");
                return;
            }
        }
        String secret = CredentialHash.newSecret();
        run(rc, () -> {
            boolean created = store.registerGateway(schoolId, gateway, CredentialHash.of(secret));
            credentials.replaceAll(store.credentials());
            return created;
        }, created -> {
            LOG.info("[gateway: {}] [school: {}] {}", id, schoolId, created ? "registered" : "given a new secret");
            Responses.json(rc, created ? 201 : 200, new JsonObject()
                    .put("gateway", id).put("school", schoolId).put("secret", secret)
                    .put("note", "The secret is shown once; the hub keeps only a salted hash. The gateway connects with"
                            + " user name and client id '" + id + "' and this secret as its password."));
        });
    }

    // ---- plumbing ----

    /** Changes need the token when one is set; without one only loopback clients may change the registry. */
    private void withSchool(RoutingContext rc, Consumer<School> answer) {
        String schoolId = pathId(rc, "school");
        if (schoolId == null) {
            return;
        }
        run(rc, () -> school(schoolId),
                school -> {
                    try {
                        answer.accept(school);
                    } catch (RuntimeException e) {
                        fail(rc, e);
                    }
                });
    }

    private <T> void run(RoutingContext rc, Callable<T> blocking, Consumer<T> answer) {
        worker.executeBlocking(blocking, false).onComplete(result -> {
            if (result.failed()) {
                fail(rc, result.cause());
            } else {
                answer.accept(result.result());
            }
        });
    }

    private static void fail(RoutingContext rc, Throwable e) {
        if (e instanceof RegistryNotFoundException) {
            Responses.error(rc, 404, e.getMessage(), null);
        } else if (e instanceof RegistryConflictException) {
            Responses.error(rc, 409, e.getMessage(), null);
        } else if (e instanceof BadParameterException bad) {
            Responses.error(rc, 400, bad.getMessage(), bad.parameter());
        } else if (e instanceof InvalidRegistryException invalid) {
            Responses.error(rc, 400, invalid.getMessage(), invalid.field());
        } else {
            rc.fail(e);
        }
    }

    private static String pathId(RoutingContext rc, String name) {
        String value = rc.pathParam(name);
        if (!Ids.isValid(value)) {
            badParameter(rc, name, name + " must be an id (1-64 letters, digits, '.', '_', '-')");
            return null;
        }
        return value;
    }

    private static JsonObject jsonBody(RoutingContext rc) {
        Buffer buffer = rc.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            badParameter(rc, "body", "a JSON object is required");
            return null;
        }
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(buffer);
            if (parsed instanceof JsonObject object) {
                return object;
            }
        } catch (DecodeException e) {
            badParameter(rc, "body", "the body is not JSON");
            return null;
        }
        badParameter(rc, "body", "the body must be a JSON object");
        return null;
    }

    /** The path names the record; a body that names another is refused rather than silently renamed. */
    private static byte[] withId(JsonObject body, String id) {
        Object given = body.getValue("id");
        if (given != null && !id.equals(given)) {
            throw new BadParameterException("id", "id in the body ('" + given + "') differs from the path ('" + id + "')");
        }
        return body.put("id", id).toBuffer().getBytes();
    }

    private static void badParameter(RoutingContext rc, String parameter, String message) {
        Responses.error(rc, 400, message, parameter);
    }

    private static void changed(RoutingContext rc, Change change, JsonObject body) {
        Responses.json(rc, change == Change.CREATED ? 201 : 200, body.put("change", change.name().toLowerCase()));
    }

    private static RegistryNotFoundException noRoom(School school, String room) {
        return new RegistryNotFoundException("school '" + school.id() + "' has no room '" + room + "'");
    }

    private static RegistryNotFoundException noEquipment(School school, String id) {
        return new RegistryNotFoundException("school '" + school.id() + "' has no equipment '" + id + "'");
    }

    private static JsonObject schoolSummary(School s) {
        JsonObject out = new JsonObject().put("id", s.id()).put("name", s.name());
        if (s.address() != null) {
            out.put("address", s.address());
        }
        if (s.location() != null) {
            out.put("location", new JsonObject().put("latitude", s.location().latitude()).put("longitude", s.location().longitude()));
        }
        JsonArray gateways = new JsonArray();
        s.gateways().forEach(g -> gateways.add(g.name() == null ? new JsonObject().put("id", g.id())
                : new JsonObject().put("id", g.id()).put("name", g.name())));
        return out.put("timeZone", s.timeZone().getId())
                .put("buildingCount", s.buildings().size())
                .put("roomCount", s.rooms().count())
                .put("equipmentCount", s.rooms().mapToLong(r -> r.equipment().size()).sum())
                .put("gateways", gateways);
    }

    private static JsonArray buildings(School school) {
        JsonArray out = new JsonArray();
        for (Building b : school.buildings()) {
            JsonArray rooms = new JsonArray();
            b.rooms().forEach(r -> rooms.add(room(b, r)));
            JsonObject building = new JsonObject().put("id", b.id());
            if (b.name() != null) {
                building.put("name", b.name());
            }
            out.add(building.put("rooms", rooms));
        }
        return out;
    }

    private static JsonObject room(Building building, Room room) {
        return json(InventoryWriter.roomFields(room)).put("building", building.id()).put("equipmentCount", room.equipment().size());
    }

    private static JsonObject json(ObjectNode node) {
        return new JsonObject(node.toString());
    }
}

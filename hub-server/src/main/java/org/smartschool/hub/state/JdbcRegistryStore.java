package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.smartschool.hub.registry.Building;
import org.smartschool.hub.registry.CredentialHash;
import org.smartschool.hub.registry.Equipment;
import org.smartschool.hub.registry.EquipmentStatus;
import org.smartschool.hub.registry.Gateway;
import org.smartschool.hub.registry.Location;
import org.smartschool.hub.registry.MaintenanceEntry;
import org.smartschool.hub.registry.MaintenanceKind;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.registry.RegistryConflictException;
import org.smartschool.hub.registry.RegistryNotFoundException;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.RoomKind;
import org.smartschool.hub.registry.School;

/**
 * The registry in the state database, with plain JDBC and SQL that SQLite and PostgreSQL both run.
 * Writes of this process are serialised (the registry changes a few times a day, and SQLite has one
 * writer anyway); each is one transaction.
 */
public final class JdbcRegistryStore implements RegistryStore {
    /** The district's id while no inventory has named it. */
    public static final String UNNAMED_DISTRICT = "district";

    private final StateDatabase db;
    private final boolean ownsDatabase;
    private final Jdbc jdbc;

    /** The registry in {@code db}, which {@link #close()} closes. */
    public JdbcRegistryStore(StateDatabase db) {
        this(db, true);
    }

    /** @param ownsDatabase whether {@link #close()} closes {@code db} (false when the hub's other state shares it) */
    public JdbcRegistryStore(StateDatabase db, boolean ownsDatabase) {
        this.db = db;
        this.jdbc = new Jdbc(db);
        this.ownsDatabase = ownsDatabase;
    }

    // ---- reads ----

    @Override
    public Registry registry() {
        return read(c -> {
            String[] district = district(c);
            return new Registry(district == null ? UNNAMED_DISTRICT : district[0], district == null ? null : district[1],
                    load(c, null));
        });
    }

    @Override
    public List<School> schools() {
        return read(c -> load(c, null));
    }

    /** One query of the rooms' kinds (read every few seconds for the gateways' desired configurations). */
    @Override
    public Map<String, Map<String, RoomKind>> roomKinds() {
        return read(c -> {
            Map<String, Map<String, RoomKind>> out = new java.util.TreeMap<>();
            query(c, "SELECT id FROM registry_school", null,
                    rs -> out.computeIfAbsent(rs.getString(1), k -> new java.util.TreeMap<>()));
            query(c, "SELECT school_id, id, kind FROM registry_room", null,
                    rs -> out.computeIfAbsent(rs.getString(1), k -> new java.util.TreeMap<>()).put(rs.getString(2), roomKind(rs.getString(3))));
            return out;
        });
    }

    @Override
    public Optional<School> school(String schoolId) {
        return read(c -> load(c, schoolId).stream().findFirst());
    }

    @Override
    public List<StoredCredential> credentials() {
        return read(c -> {
            List<StoredCredential> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT g.id, g.school_id, s.name, g.credential_hash"
                    + " FROM registry_gateway g JOIN registry_school s ON s.id = g.school_id"
                    + " WHERE g.credential_hash IS NOT NULL ORDER BY g.id");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredCredential(rs.getString(1), rs.getString(2), rs.getString(3),
                            CredentialHash.parse(rs.getString(4))));
                }
            }
            return out;
        });
    }

    @Override
    public void ping() {
        read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT 1"); ResultSet rs = st.executeQuery()) {
                rs.next();
            }
            return null;
        });
    }

    private static String[] district(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id, name FROM registry_district ORDER BY id");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
        }
    }

    /** Schools with everything in them, bottom-up: maintenance, equipment, rooms, buildings, schools. */
    private static List<School> load(Connection c, String onlySchool) throws SQLException {
        String where = onlySchool == null ? "" : " WHERE school_id = ?";
        Map<String, List<MaintenanceEntry>> logs = new HashMap<>();
        query(c, "SELECT school_id, equipment_id, entry_date, kind, performed_by, note FROM registry_maintenance"
                + where + " ORDER BY school_id, equipment_id, seq", onlySchool, rs -> logs
                .computeIfAbsent(key(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                .add(new MaintenanceEntry(LocalDate.parse(rs.getString(3)), maintenanceKind(rs.getString(4)),
                        rs.getString(5), rs.getString(6))));
        Map<String, List<Equipment>> equipment = new HashMap<>();
        query(c, "SELECT school_id, id, room_id, type, model, serial_number, installed, warranty_end, status"
                + " FROM registry_equipment" + where, onlySchool, rs -> equipment
                .computeIfAbsent(key(rs.getString(1), rs.getString(3)), k -> new ArrayList<>())
                .add(new Equipment(rs.getString(2), rs.getString(4), rs.getString(5), rs.getString(6), date(rs.getString(7)),
                        date(rs.getString(8)), status(rs.getString(9)),
                        logs.getOrDefault(key(rs.getString(1), rs.getString(2)), List.of()))));
        Map<String, List<Room>> rooms = new HashMap<>();
        query(c, "SELECT school_id, id, building_id, name, kind, floor, capacity FROM registry_room" + where, onlySchool,
                rs -> rooms.computeIfAbsent(key(rs.getString(1), rs.getString(3)), k -> new ArrayList<>())
                        .add(new Room(rs.getString(2), rs.getString(4), roomKind(rs.getString(5)), rs.getInt(6), rs.getInt(7),
                                equipment.getOrDefault(key(rs.getString(1), rs.getString(2)), List.of()))));
        Map<String, List<Building>> buildings = new HashMap<>();
        query(c, "SELECT school_id, id, name FROM registry_building" + where, onlySchool,
                rs -> buildings.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new Building(rs.getString(2), rs.getString(3),
                                rooms.getOrDefault(key(rs.getString(1), rs.getString(2)), List.of()))));
        Map<String, List<Gateway>> gateways = new HashMap<>();
        query(c, "SELECT school_id, id, name FROM registry_gateway" + where, onlySchool,
                rs -> gateways.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new Gateway(rs.getString(2), rs.getString(3))));
        List<School> schools = new ArrayList<>();
        query(c, "SELECT id, name, address, latitude, longitude, time_zone FROM registry_school"
                + (onlySchool == null ? "" : " WHERE id = ?") + " ORDER BY id", onlySchool, rs -> {
                    double latitude = rs.getDouble(4);
                    Location location = rs.wasNull() ? null : new Location(latitude, rs.getDouble(5));
                    schools.add(new School(rs.getString(1), rs.getString(2), rs.getString(3), location,
                            ZoneId.of(rs.getString(6)), buildings.getOrDefault(rs.getString(1), List.of()),
                            gateways.getOrDefault(rs.getString(1), List.of())));
                });
        return schools;
    }

    // ---- the inventory ----

    @Override
    public ApplyResult apply(Registry inventory) {
        return write(c -> {
            Counter count = new Counter();
            String[] district = district(c);
            if (district == null) {
                update(c, "INSERT INTO registry_district (id, name) VALUES (?, ?)", inventory.district(), inventory.districtName());
                count.created++;
            } else if (!district[0].equals(inventory.district()) || !Objects.equals(district[1], inventory.districtName())) {
                update(c, "DELETE FROM registry_district");
                update(c, "INSERT INTO registry_district (id, name) VALUES (?, ?)", inventory.district(), inventory.districtName());
                count.updated++;
            } else {
                count.unchanged++;
            }
            Map<String, String> gatewaySchools = new HashMap<>();
            query(c, "SELECT id, school_id FROM registry_gateway", null, rs -> gatewaySchools.put(rs.getString(1), rs.getString(2)));
            for (School school : inventory.schools()) {
                applySchool(c, school, load(c, school.id()).stream().findFirst(), gatewaySchools, count);
            }
            return new ApplyResult(count.created, count.updated, count.unchanged);
        });
    }

    private static final class Counter {
        int created;
        int updated;
        int unchanged;

        void count(Change change) {
            switch (change) {
                case CREATED -> created++;
                case UPDATED -> updated++;
                case UNCHANGED -> unchanged++;
            }
        }
    }

    private static void applySchool(Connection c, School school, Optional<School> stored, Map<String, String> gatewaySchools,
                                    Counter count) throws SQLException {
        Object latitude = school.location() == null ? null : school.location().latitude();
        Object longitude = school.location() == null ? null : school.location().longitude();
        if (stored.isEmpty()) {
            update(c, "INSERT INTO registry_school (id, name, address, latitude, longitude, time_zone) VALUES (?, ?, ?, ?, ?, ?)",
                    school.id(), school.name(), school.address(), latitude, longitude, school.timeZone().getId());
            count.created++;
        } else if (!sameFields(stored.get(), school)) {
            update(c, "UPDATE registry_school SET name = ?, address = ?, latitude = ?, longitude = ?, time_zone = ? WHERE id = ?",
                    school.name(), school.address(), latitude, longitude, school.timeZone().getId(), school.id());
            count.updated++;
        } else {
            count.unchanged++;
        }
        Map<String, Building> buildings = new HashMap<>();
        Map<String, Room> rooms = new HashMap<>();
        Map<String, String> roomBuilding = new HashMap<>();
        Map<String, Equipment> equipment = new HashMap<>();
        Map<String, String> equipmentRoom = new HashMap<>();
        stored.ifPresent(s -> s.buildings().forEach(b -> {
            buildings.put(b.id(), b);
            b.rooms().forEach(r -> {
                rooms.put(r.id(), r);
                roomBuilding.put(r.id(), b.id());
                r.equipment().forEach(e -> {
                    equipment.put(e.id(), e);
                    equipmentRoom.put(e.id(), r.id());
                });
            });
        }));
        for (Building building : school.buildings()) {
            Building old = buildings.get(building.id());
            if (old == null) {
                update(c, "INSERT INTO registry_building (school_id, id, name) VALUES (?, ?, ?)", school.id(), building.id(), building.name());
                count.created++;
            } else if (!Objects.equals(old.name(), building.name())) {
                update(c, "UPDATE registry_building SET name = ? WHERE school_id = ? AND id = ?", building.name(), school.id(), building.id());
                count.updated++;
            } else {
                count.unchanged++;
            }
        }
        for (Building building : school.buildings()) {
            for (Room room : building.rooms()) {
                count.count(putRoom(c, school.id(), building.id(), room, rooms.get(room.id()), roomBuilding.get(room.id())));
                for (Equipment item : room.equipment()) {
                    Equipment old = equipment.get(item.id());
                    count.count(putEquipment(c, school.id(), room.id(), item, old, equipmentRoom.get(item.id())));
                    List<MaintenanceEntry> missing = new ArrayList<>(item.maintenance());
                    if (old != null) {
                        old.maintenance().forEach(missing::remove); // removes one equal entry each: a multiset difference
                    }
                    count.unchanged += item.maintenance().size() - missing.size();
                    for (MaintenanceEntry entry : missing) {
                        addMaintenance(c, school.id(), item.id(), entry);
                        count.created++;
                    }
                }
            }
        }
        for (Gateway gateway : school.gateways()) {
            String owner = gatewaySchools.get(gateway.id());
            Optional<Gateway> old = stored.flatMap(s -> s.gateways().stream().filter(g -> g.id().equals(gateway.id())).findFirst());
            if (owner == null) {
                update(c, "INSERT INTO registry_gateway (id, school_id, name) VALUES (?, ?, ?)", gateway.id(), school.id(), gateway.name());
                count.created++;
            } else if (!owner.equals(school.id()) || old.isEmpty() || !old.get().equals(gateway)) {
                update(c, "UPDATE registry_gateway SET school_id = ?, name = ? WHERE id = ?", school.id(), gateway.name(), gateway.id());
                count.updated++;
            } else {
                count.unchanged++;
            }
            gatewaySchools.put(gateway.id(), school.id());
        }
    }

    private static boolean sameFields(School a, School b) {
        return a.name().equals(b.name()) && Objects.equals(a.address(), b.address())
                && Objects.equals(a.location(), b.location()) && a.timeZone().equals(b.timeZone());
    }

    // ---- edits ----

    @Override
    public Change putRoom(String schoolId, String buildingId, Room room) {
        return write(c -> {
            School school = load(c, schoolId).stream().findFirst()
                    .orElseThrow(() -> new RegistryNotFoundException("no school '" + schoolId + "'"));
            if (school.buildings().stream().noneMatch(b -> b.id().equals(buildingId))) {
                throw new RegistryNotFoundException("school '" + schoolId + "' has no building '" + buildingId + "'");
            }
            return putRoom(c, schoolId, buildingId, room, school.room(room.id()).orElse(null),
                    school.buildingOf(room.id()).map(Building::id).orElse(null));
        });
    }

    private static Change putRoom(Connection c, String school, String building, Room room, Room old, String oldBuilding)
            throws SQLException {
        if (old == null) {
            update(c, "INSERT INTO registry_room (school_id, id, building_id, name, kind, floor, capacity) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    school, room.id(), building, room.name(), room.kind().id(), room.floor(), room.capacity());
            return Change.CREATED;
        }
        if (building.equals(oldBuilding) && Objects.equals(old.name(), room.name()) && old.kind() == room.kind()
                && old.floor() == room.floor() && old.capacity() == room.capacity()) {
            return Change.UNCHANGED;
        }
        update(c, "UPDATE registry_room SET building_id = ?, name = ?, kind = ?, floor = ?, capacity = ? WHERE school_id = ? AND id = ?",
                building, room.name(), room.kind().id(), room.floor(), room.capacity(), school, room.id());
        return Change.UPDATED;
    }

    @Override
    public boolean deleteRoom(String schoolId, String roomId) {
        return write(c -> {
            int[] held = {0};
            query(c, "SELECT COUNT(*) FROM registry_equipment WHERE school_id = ? AND room_id = ?", List.of(schoolId, roomId),
                    rs -> held[0] = rs.getInt(1));
            if (held[0] > 0) {
                throw new RegistryConflictException("room '" + roomId + "' still holds " + held[0]
                        + " pieces of equipment: move or delete them first");
            }
            return update(c, "DELETE FROM registry_room WHERE school_id = ? AND id = ?", schoolId, roomId) > 0;
        });
    }

    @Override
    public Change putEquipment(String schoolId, String roomId, Equipment item) {
        return write(c -> {
            School school = load(c, schoolId).stream().findFirst()
                    .orElseThrow(() -> new RegistryNotFoundException("no school '" + schoolId + "'"));
            if (school.room(roomId).isEmpty()) {
                throw new RegistryNotFoundException("school '" + schoolId + "' has no room '" + roomId + "'");
            }
            return putEquipment(c, schoolId, roomId, item, school.equipment(item.id()).orElse(null),
                    school.roomOf(item.id()).map(Room::id).orElse(null));
        });
    }

    private static Change putEquipment(Connection c, String school, String room, Equipment item, Equipment old, String oldRoom)
            throws SQLException {
        if (old == null) {
            update(c, "INSERT INTO registry_equipment (school_id, id, room_id, type, model, serial_number, installed,"
                            + " warranty_end, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    school, item.id(), room, item.type(), item.model(), item.serialNumber(), text(item.installed()),
                    text(item.warrantyEnd()), item.status().id());
            return Change.CREATED;
        }
        if (room.equals(oldRoom) && old.withMaintenance(List.of()).equals(item.withMaintenance(List.of()))) {
            return Change.UNCHANGED;
        }
        update(c, "UPDATE registry_equipment SET room_id = ?, type = ?, model = ?, serial_number = ?, installed = ?,"
                        + " warranty_end = ?, status = ? WHERE school_id = ? AND id = ?",
                room, item.type(), item.model(), item.serialNumber(), text(item.installed()), text(item.warrantyEnd()),
                item.status().id(), school, item.id());
        return Change.UPDATED;
    }

    @Override
    public boolean deleteEquipment(String schoolId, String equipmentId) {
        return write(c -> {
            update(c, "DELETE FROM registry_maintenance WHERE school_id = ? AND equipment_id = ?", schoolId, equipmentId);
            return update(c, "DELETE FROM registry_equipment WHERE school_id = ? AND id = ?", schoolId, equipmentId) > 0;
        });
    }

    @Override
    public void addMaintenance(String schoolId, String equipmentId, MaintenanceEntry entry) {
        write(c -> {
            int[] found = {0};
            query(c, "SELECT COUNT(*) FROM registry_equipment WHERE school_id = ? AND id = ?", List.of(schoolId, equipmentId),
                    rs -> found[0] = rs.getInt(1));
            if (found[0] == 0) {
                throw new RegistryNotFoundException("school '" + schoolId + "' has no equipment '" + equipmentId + "'");
            }
            addMaintenance(c, schoolId, equipmentId, entry);
            return null;
        });
    }

    private static void addMaintenance(Connection c, String school, String equipment, MaintenanceEntry entry) throws SQLException {
        int[] next = {1};
        query(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM registry_maintenance WHERE school_id = ? AND equipment_id = ?",
                List.of(school, equipment), rs -> next[0] = rs.getInt(1));
        update(c, "INSERT INTO registry_maintenance (school_id, equipment_id, seq, entry_date, kind, performed_by, note)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", school, equipment, next[0], entry.date().toString(), entry.kind().id(),
                entry.by(), entry.note());
    }

    @Override
    public boolean registerGateway(String schoolId, Gateway gateway, CredentialHash credential) {
        return write(c -> {
            if (load(c, schoolId).isEmpty()) {
                throw new RegistryNotFoundException("no school '" + schoolId + "'");
            }
            String[] owner = {null, null};
            query(c, "SELECT school_id, name FROM registry_gateway WHERE id = ?", List.of(gateway.id()), rs -> {
                owner[0] = rs.getString(1);
                owner[1] = rs.getString(2);
            });
            if (owner[0] == null) {
                update(c, "INSERT INTO registry_gateway (id, school_id, name, credential_hash) VALUES (?, ?, ?, ?)",
                        gateway.id(), schoolId, gateway.name(), credential.encoded());
                return true;
            }
            if (!owner[0].equals(schoolId)) {
                throw new RegistryConflictException("gateway '" + gateway.id() + "' belongs to school '" + owner[0] + "'");
            }
            update(c, "UPDATE registry_gateway SET name = ?, credential_hash = ? WHERE id = ?",
                    gateway.name() == null ? owner[1] : gateway.name(), credential.encoded(), gateway.id());
            return false;
        });
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }

    // ---- JDBC plumbing ----

    private interface Row {
        void take(ResultSet rs) throws SQLException;
    }

    private <T> T read(Jdbc.Work<T> work) {
        return jdbc.read(work);
    }

    private <T> T write(Jdbc.Work<T> work) {
        return jdbc.write(work);
    }

    private static void query(Connection c, String sql, Object parameter, Row row) throws SQLException {
        List<?> parameters = parameter == null ? List.of() : parameter instanceof List<?> list ? list : List.of(parameter);
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, parameters.toArray());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    row.take(rs);
                }
            }
        }
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, parameters);
            return st.executeUpdate();
        }
    }

    private static void bind(PreparedStatement st, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == null) {
                st.setNull(i + 1, Types.NULL); // untyped: PostgreSQL takes the column's type
            } else if (p instanceof Double d) {
                st.setDouble(i + 1, d);
            } else if (p instanceof Integer n) {
                st.setInt(i + 1, n);
            } else {
                st.setString(i + 1, p.toString());
            }
        }
    }

    private static String key(String school, String id) {
        return school + "/" + id;
    }

    private static String text(LocalDate date) {
        return date == null ? null : date.toString();
    }

    private static LocalDate date(String text) {
        return text == null ? null : LocalDate.parse(text);
    }

    private static RoomKind roomKind(String id) {
        return RoomKind.byId(id).orElseThrow(() -> new IllegalStateException("state database holds an unknown room kind: " + id));
    }

    private static EquipmentStatus status(String id) {
        return EquipmentStatus.byId(id).orElseThrow(() -> new IllegalStateException("state database holds an unknown status: " + id));
    }

    private static MaintenanceKind maintenanceKind(String id) {
        return MaintenanceKind.byId(id).orElseThrow(() -> new IllegalStateException("state database holds an unknown maintenance kind: " + id));
    }
}

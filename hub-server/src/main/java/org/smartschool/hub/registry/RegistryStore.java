package org.smartschool.hub.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where the registry is kept (the hub's state database). Every call blocks: run it on a worker
 * thread, never on an event loop. Failures of the database itself are {@link IllegalStateException}s.
 */
public interface RegistryStore extends AutoCloseable {

    /** Everything, e.g. for an export. */
    Registry registry();

    /** Every school with its buildings, rooms, equipment and gateways, by id. */
    List<School> schools();

    Optional<School> school(String schoolId);

    /**
     * Every school's rooms and their kinds, school id -> room id -> kind: what the gateways' school
     * rules need (their desired configuration), read often, so a store may answer it without the equipment.
     */
    default Map<String, Map<String, RoomKind>> roomKinds() {
        Map<String, Map<String, RoomKind>> out = new TreeMap<>();
        for (School school : schools()) {
            Map<String, RoomKind> rooms = out.computeIfAbsent(school.id(), k -> new TreeMap<>());
            school.buildings().forEach(b -> b.rooms().forEach(r -> rooms.put(r.id(), r.kind())));
        }
        return out;
    }

    /**
     * Brings the store in line with an inventory file: every school, building, room, equipment and
     * gateway the file names gets the file's values (the file wins over API edits of those fields);
     * what the file does not name is left alone; maintenance entries the store lacks are added, none
     * removed. Applying the same inventory again changes nothing.
     */
    ApplyResult apply(Registry inventory);

    /**
     * Creates or updates a room (its fields and building, not its equipment).
     *
     * @throws RegistryNotFoundException when the school or the building is unknown
     */
    Change putRoom(String schoolId, String buildingId, Room room);

    /**
     * @return false when there was no such room
     * @throws RegistryConflictException when equipment is still in the room
     */
    boolean deleteRoom(String schoolId, String roomId);

    /**
     * Creates or updates equipment (its fields and room; the maintenance log is kept as it is).
     *
     * @throws RegistryNotFoundException when the school or the room is unknown
     */
    Change putEquipment(String schoolId, String roomId, Equipment equipment);

    /** Deletes the equipment and its maintenance log; false when there was none. */
    boolean deleteEquipment(String schoolId, String equipmentId);

    /** @throws RegistryNotFoundException when the school or the equipment is unknown */
    void addMaintenance(String schoolId, String equipmentId, MaintenanceEntry entry);

    /**
     * Registers a gateway of a school with a new credential, or gives a registered one a new credential
     * (and name); the old credential stops working.
     *
     * @return whether the gateway was new
     * @throws RegistryNotFoundException when the school is unknown
     * @throws RegistryConflictException when the gateway belongs to another school
     */
    boolean registerGateway(String schoolId, Gateway gateway, CredentialHash credential);

    /** Every gateway that has a credential, for the MQTT endpoint's check. */
    List<StoredCredential> credentials();

    /** Throws when the database does not answer. */
    void ping();

    @Override
    void close();

    /** What a put did. */
    enum Change { CREATED, UPDATED, UNCHANGED }

    /** A gateway's stored credential and its school. */
    record StoredCredential(String gatewayId, String schoolId, String schoolName, CredentialHash hash) {
    }

    /** How many records applying an inventory created, changed and found as they were. */
    record ApplyResult(int created, int updated, int unchanged) {
        public boolean changedAnything() {
            return created + updated > 0;
        }
    }
}

package org.smartschool.hub.registry;

import java.util.Comparator;
import java.util.List;

/**
 * A room of a building. Its id is the room id of the time series ({@code r101}, {@code lab}),
 * unique within the school.
 *
 * @param floor    0 is the ground floor; negative below ground
 * @param capacity how many people it is built for; 0 when it does not apply (a yard, a corridor)
 */
public record Room(String id, String name, RoomKind kind, int floor, int capacity, List<Equipment> equipment) {
    public static final int MAX_CAPACITY = 5000;

    public Room {
        Check.id("id", id);
        name = Check.optionalText("name", name);
        if (kind == null) {
            throw new InvalidRegistryException("kind", "kind is required: one of " + RoomKind.names());
        }
        Check.range("floor", floor, -5, 100);
        Check.range("capacity", capacity, 0, MAX_CAPACITY);
        equipment = Check.uniqueIds("equipment", equipment, Equipment::id, "equipment").stream()
                .sorted(Comparator.comparing(Equipment::id)).toList();
    }

    public Room withEquipment(List<Equipment> list) {
        return new Room(id, name, kind, floor, capacity, list);
    }
}

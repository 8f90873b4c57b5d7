package org.smartschool.hub.registry;

import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A school: where it is, its buildings with their rooms and equipment, and its gateways. Room ids
 * and equipment ids are unique within the school (they are the room and device of the time series).
 *
 * @param timeZone for timetables and reports; {@value #DEFAULT_TIME_ZONE} when not given
 */
public record School(String id, String name, String address, Location location, ZoneId timeZone,
                     List<Building> buildings, List<Gateway> gateways) {
    public static final String DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh";

    public School {
        Check.id("id", id);
        Check.text("name", name);
        name = name.strip();
        address = Check.optionalText("address", address);
        if (timeZone == null) {
            timeZone = ZoneId.of(DEFAULT_TIME_ZONE);
        }
        buildings = Check.uniqueIds("buildings", buildings, Building::id, "building");
        requireUnique(buildings); // before sorting, so that the indexes in a message are the caller's
        buildings = buildings.stream().sorted(Comparator.comparing(Building::id)).toList();
        gateways = Check.uniqueIds("gateways", gateways, Gateway::id, "gateway").stream()
                .sorted(Comparator.comparing(Gateway::id)).toList();
    }

    /** Room and equipment ids are the time series' names, so two buildings may not share one. */
    private static void requireUnique(List<Building> buildings) {
        Map<String, String> rooms = new HashMap<>();
        Map<String, String> equipment = new HashMap<>();
        for (int b = 0; b < buildings.size(); b++) {
            Building building = buildings.get(b);
            for (int r = 0; r < building.rooms().size(); r++) {
                Room room = building.rooms().get(r);
                String where = "buildings[" + b + "].rooms[" + r + "]";
                String first = rooms.putIfAbsent(room.id(), building.id());
                if (first != null) {
                    throw new InvalidRegistryException(where + ".id", "room id '" + room.id()
                            + "' is used twice in the school (also in building '" + first + "')");
                }
                for (int e = 0; e < room.equipment().size(); e++) {
                    Equipment item = room.equipment().get(e);
                    String other = equipment.putIfAbsent(item.id(), room.id());
                    if (other != null) {
                        throw new InvalidRegistryException(where + ".equipment[" + e + "].id", "equipment id '"
                                + item.id() + "' is used twice in the school (also in room '" + other + "')");
                    }
                }
            }
        }
    }

    public Stream<Room> rooms() {
        return buildings.stream().flatMap(b -> b.rooms().stream());
    }

    public Optional<Room> room(String roomId) {
        return rooms().filter(r -> r.id().equals(roomId)).findFirst();
    }

    /** The building that holds the room. */
    public Optional<Building> buildingOf(String roomId) {
        return buildings.stream().filter(b -> b.rooms().stream().anyMatch(r -> r.id().equals(roomId))).findFirst();
    }

    public Optional<Equipment> equipment(String equipmentId) {
        return rooms().flatMap(r -> r.equipment().stream()).filter(e -> e.id().equals(equipmentId)).findFirst();
    }

    /** The room that holds the equipment. */
    public Optional<Room> roomOf(String equipmentId) {
        return rooms().filter(r -> r.equipment().stream().anyMatch(e -> e.id().equals(equipmentId))).findFirst();
    }
}

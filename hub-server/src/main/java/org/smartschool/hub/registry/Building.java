package org.smartschool.hub.registry;

import java.util.Comparator;
import java.util.List;

/** A building of a school ({@code bldg-1}, "Dãy A"), and its rooms. */
public record Building(String id, String name, List<Room> rooms) {
    public Building {
        Check.id("id", id);
        name = Check.optionalText("name", name);
        rooms = Check.uniqueIds("rooms", rooms, Room::id, "room").stream()
                .sorted(Comparator.comparing(Room::id)).toList();
    }

    public Building withRooms(List<Room> list) {
        return new Building(id, name, list);
    }
}

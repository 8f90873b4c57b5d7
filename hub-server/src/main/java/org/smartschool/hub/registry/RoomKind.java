package org.smartschool.hub.registry;

import java.util.Arrays;
import java.util.Optional;

/** What a room is used for; the school rules and reports group rooms by kind. */
public enum RoomKind {
    CLASSROOM("classroom"),
    LAB("lab"),
    COMPUTER_ROOM("computer-room"),
    LIBRARY("library"),
    HALL("hall"),
    OFFICE("office"),
    OUTDOOR("outdoor"),
    /** Electrical panels, network cabinets, storage: where a building's meter or a gateway sits. */
    TECHNICAL("technical");

    private final String id;

    RoomKind(String id) {
        this.id = id;
    }

    /** The name in files and the API: {@code computer-room}. */
    public String id() {
        return id;
    }

    public static Optional<RoomKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** The names, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(RoomKind::id).toList().toString();
    }
}

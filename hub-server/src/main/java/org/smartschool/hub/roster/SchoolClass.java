package org.smartschool.hub.roster;

import java.util.List;
import java.util.Objects;

import org.smartschool.bridge.model.Ids;

/**
 * A class: a homeroom class ({@link ClassLevel#SESSION}, with its room and the sessions it attends on every
 * school day) or a section taking attendance per period ({@link ClassLevel#PERIOD}, room per period).
 *
 * @param room     the homeroom (a room of the school in the registry); null for a period-level class
 * @param sessions the sessions a session-level class attends; empty for a period-level class
 */
public record SchoolClass(String id, String name, ClassLevel level, String room, List<String> sessions) {
    public SchoolClass {
        Ids.require("class", id);
        name = name == null || name.isBlank() ? id : name.strip();
        Objects.requireNonNull(level, "level");
        sessions = List.copyOf(sessions);
        if (level == ClassLevel.SESSION) {
            Ids.require("room", room);
            if (sessions.isEmpty()) {
                throw new IllegalArgumentException("class " + id + ": a session-level class needs at least one session");
            }
        } else if (room != null) {
            Ids.require("room", room);
        }
        sessions.forEach(s -> Ids.require("session", s));
    }
}

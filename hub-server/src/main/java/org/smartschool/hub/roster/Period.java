package org.smartschool.hub.roster;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Objects;

import org.smartschool.bridge.model.Ids;

/** A timetabled period of a period-level class: 45 minutes by default, in a room. */
public record Period(String classId, DayOfWeek day, String session, String id, LocalTime start, int minutes, String room) {
    public static final int DEFAULT_MINUTES = 45;

    public Period {
        Ids.require("class", classId);
        Objects.requireNonNull(day, "day");
        Ids.require("session", session);
        Ids.require("period", id);
        Objects.requireNonNull(start, "start");
        Ids.require("room", room);
        if (minutes < 1 || minutes > 240) {
            throw new IllegalArgumentException("period " + id + ": minutes must be 1-240");
        }
    }

    public LocalTime end() {
        return start.plusMinutes(minutes);
    }
}

package org.smartschool.hub.roster;

import java.time.LocalTime;
import java.util.List;
import java.util.Objects;

import org.smartschool.bridge.model.Ids;

/** A session of the school day: {@code morning} from 07:00, {@code afternoon} from 13:30 by default. */
public record Session(String id, LocalTime start, LocalTime end) {
    /** The Vietnamese default day: five morning periods and the afternoon. */
    public static final List<Session> DEFAULTS = List.of(
            new Session("morning", LocalTime.of(7, 0), LocalTime.of(11, 25)),
            new Session("afternoon", LocalTime.of(13, 30), LocalTime.of(17, 0)));

    public Session {
        Ids.require("session", id);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("session " + id + ": end must be after start");
        }
    }
}

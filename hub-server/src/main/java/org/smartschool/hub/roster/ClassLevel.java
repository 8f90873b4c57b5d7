package org.smartschool.hub.roster;

import java.util.Locale;
import java.util.Optional;

/**
 * How a class takes attendance: {@code session} (the Vietnamese default: the class keeps its homeroom for
 * its sessions) or {@code period} (labs, computer rooms: per timetabled period).
 */
public enum ClassLevel {
    SESSION, PERIOD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ClassLevel> byId(String id) {
        for (ClassLevel l : values()) {
            if (l.id().equals(id)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}

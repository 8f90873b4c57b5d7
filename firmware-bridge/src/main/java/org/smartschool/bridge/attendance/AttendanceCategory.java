package org.smartschool.bridge.attendance;

import java.util.Optional;

/**
 * What an attendance event says about a learner for one session or period. The ids are what the
 * API and webhooks show; the Ed-Fi connector maps each to its AttendanceEventCategoryDescriptor.
 */
public enum AttendanceCategory {
    PRESENT("present"),
    LATE("late"),
    EXCUSED_ABSENCE("excused_absence"),
    UNEXCUSED_ABSENCE("unexcused_absence");

    private final String id;

    AttendanceCategory(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<AttendanceCategory> byId(String id) {
        for (AttendanceCategory c : values()) {
            if (c.id.equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}

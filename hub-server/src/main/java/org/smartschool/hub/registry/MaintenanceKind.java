package org.smartschool.hub.registry;

import java.util.Arrays;
import java.util.Optional;

/** What was done to a piece of equipment. */
public enum MaintenanceKind {
    INSPECTION("inspection"),
    CALIBRATION("calibration"),
    CLEANING("cleaning"),
    REPAIR("repair"),
    BATTERY("battery"),
    FIRMWARE("firmware"),
    REPLACEMENT("replacement");

    private final String id;

    MaintenanceKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<MaintenanceKind> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(MaintenanceKind::id).toList().toString();
    }
}

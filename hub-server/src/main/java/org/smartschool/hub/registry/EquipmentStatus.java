package org.smartschool.hub.registry;

import java.util.Arrays;
import java.util.Optional;

/** Where a piece of equipment stands in its life. */
public enum EquipmentStatus {
    IN_SERVICE("in-service"),
    FAULTY("faulty"),
    UNDER_REPAIR("under-repair"),
    IN_STORAGE("in-storage"),
    RETIRED("retired");

    private final String id;

    EquipmentStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<EquipmentStatus> byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(EquipmentStatus::id).toList().toString();
    }
}

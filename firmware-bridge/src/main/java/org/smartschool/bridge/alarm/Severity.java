package org.smartschool.bridge.alarm;

import java.util.Arrays;
import java.util.Optional;

/** How bad an alarm is, from the mildest; {@code compareTo} orders them so. */
public enum Severity {
    WARNING("warning"),
    MINOR("minor"),
    MAJOR("major"),
    CRITICAL("critical");

    private final String id;

    Severity(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Severity> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    public static Severity max(Severity a, Severity b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }
}

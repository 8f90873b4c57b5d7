package org.smartschool.hub.store;

import java.util.Arrays;
import java.util.Optional;

/** How the readings within one step of an aggregated series become one value. */
public enum Aggregation {
    MEAN("mean"),
    MIN("min"),
    MAX("max"),
    /** The value with the newest timestamp in the step. */
    LAST("last");

    private final String id;

    Aggregation(String id) {
        this.id = id;
    }

    /** The name used in the API and, by chance and on purpose, the InfluxQL function. */
    public String id() {
        return id;
    }

    public static Optional<Aggregation> byId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }
}

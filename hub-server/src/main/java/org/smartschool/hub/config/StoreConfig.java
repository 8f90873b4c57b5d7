package org.smartschool.hub.config;

import java.util.Objects;

/**
 * Where the hub stores what gateways send.
 *
 * @param path   the SQLite file of the readings and device events when {@code kind} is {@code sqlite},
 *               relative to the working directory unless absolute; its directory is the hub's data directory
 *               either way (the default state database {@code hub-state.db} goes there)
 * @param kind   {@code sqlite} (embedded, the default) or {@code influx} (time series in {@code influx})
 * @param influx the InfluxDB used when {@code kind} is {@code influx}
 */
public record StoreConfig(String path, String kind, InfluxConfig influx) {
    public static final String SQLITE = "sqlite";
    public static final String INFLUX = "influx";
    public static final StoreConfig DEFAULT = new StoreConfig("hub-store.db");

    public StoreConfig {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("store.path must name a file");
        }
        kind = kind == null ? SQLITE : kind.strip();
        if (!kind.equals(SQLITE) && !kind.equals(INFLUX)) {
            throw new IllegalArgumentException("store.kind must be sqlite or influx: " + kind);
        }
        influx = Objects.requireNonNullElse(influx, InfluxConfig.DEFAULT);
    }

    /** The embedded SQLite store in {@code path}. */
    public StoreConfig(String path) {
        this(path, SQLITE, InfluxConfig.DEFAULT);
    }

    /** Time series in InfluxDB; {@code path} still names the data directory. */
    public StoreConfig withInflux(InfluxConfig influx) {
        return new StoreConfig(path, INFLUX, influx);
    }

    /** Where the time series go, for start-up messages (never the password). */
    public String describe() {
        return kind.equals(INFLUX) ? "InfluxDB " + influx.url() + " database " + influx.database() : "SQLite " + path;
    }
}

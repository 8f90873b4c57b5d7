package org.smartschool.hub.config;

/** The embedded store. {@code path} is the SQLite file, relative to the working directory unless absolute. */
public record StoreConfig(String path) {
    public static final StoreConfig DEFAULT = new StoreConfig("hub-store.db");

    public StoreConfig {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("store.path must name a file");
        }
    }
}

package org.smartschool.hub.config;

/**
 * The hub's state database: the registry of schools, rooms, equipment and gateways, the batch ids of
 * replay detection, each gateway's last contact and health report, and the fleet event log.
 *
 * @param url         a JDBC URL, {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST:PORT/DB}; empty (the
 *                    default) for the SQLite file {@value #DEFAULT_FILE} beside the store's file
 * @param user        PostgreSQL user; empty to take it from the URL
 * @param password    PostgreSQL password; empty for none; never printed
 * @param maxPoolSize connections at most (HikariCP), for SQLite and PostgreSQL
 */
public record StateConfig(String url, String user, String password, int maxPoolSize) {
    public static final String DEFAULT_FILE = "hub-state.db";
    public static final StateConfig DEFAULT = new StateConfig("", "", "", 4);

    public StateConfig {
        url = url == null ? "" : url.strip();
        if (!url.isEmpty() && !(url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("state.url must be jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE");
        }
        if (url.equals("jdbc:sqlite:") || url.contains(":memory:")) {
            throw new IllegalArgumentException("state.url must name a SQLite file (the registry must outlive the process)");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        if (maxPoolSize < 1 || maxPoolSize > 100) {
            throw new IllegalArgumentException("state.maxPoolSize must be 1-100: " + maxPoolSize);
        }
    }

    public static StateConfig sqlite(java.nio.file.Path file) {
        return new StateConfig("jdbc:sqlite:" + file, "", "", DEFAULT.maxPoolSize());
    }

    /** This configuration with the default URL made concrete: {@value #DEFAULT_FILE} in the directory of {@code storeFile}. */
    public StateConfig resolve(java.nio.file.Path storeFile) {
        if (!url.isEmpty()) {
            return this;
        }
        java.nio.file.Path dir = storeFile.toAbsolutePath().getParent();
        return new StateConfig("jdbc:sqlite:" + (dir == null ? java.nio.file.Path.of(DEFAULT_FILE) : dir.resolve(DEFAULT_FILE)),
                user, password, maxPoolSize);
    }

    public boolean usesPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return "StateConfig[url=" + url.replaceAll("password=[^&]*", "password=***") + ", user=" + user
                + ", password=***, maxPoolSize=" + maxPoolSize + "]";
    }
}

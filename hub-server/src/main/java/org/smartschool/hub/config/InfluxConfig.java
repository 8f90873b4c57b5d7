package org.smartschool.hub.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The InfluxDB the hub writes to when {@code store.kind} is {@code influx}: its v1 HTTP API
 * ({@code /write}, {@code /query}), which InfluxDB 1.x serves and 2.x and 3.x emulate
 * ({@code docs/storage.md}).
 *
 * @param url           {@code http://host:8086} (or https)
 * @param database      the database (on 2.x/3.x the DBRP-mapped name); ids only: letters, digits, '_', '-'
 * @param username      null for an InfluxDB without authentication; on 2.x/3.x any name with a token as password
 * @param password      the user's password or token; keep it in {@code SS_HUB_STORE_INFLUX_PASSWORD}
 * @param createSchema  create the database, retention policies and continuous queries when missing
 *                      (InfluxDB 1.x); false where an administrator made them (2.x buckets and DBRP mappings)
 * @param timeoutMillis one HTTP request's limit (connect, read, write); a request that takes longer is retried
 * @param retryMillis   how long a batch's write is retried (5xx, 429, timeouts) before the batch fails and the
 *                      gateway keeps it and sends it again
 */
public record InfluxConfig(String url, String database, String username, String password, boolean createSchema,
                           int timeoutMillis, int retryMillis) {
    // before DEFAULT: the constructor that builds DEFAULT uses it
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final String DEFAULT_DATABASE = "smartschool";
    public static final InfluxConfig DEFAULT =
            new InfluxConfig("http://127.0.0.1:8086", DEFAULT_DATABASE, null, null, true, 10_000, 30_000);

    public InfluxConfig {
        url = requireUrl(url);
        if (database == null || !DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException("store.influx.database must be 1-64 letters, digits, '_' or '-': " + database);
        }
        username = blankToNull(username);
        password = blankToNull(password);
        if (password != null && username == null) {
            throw new IllegalArgumentException("store.influx.password is set without store.influx.username");
        }
        if (timeoutMillis < 100 || timeoutMillis > 600_000) {
            throw new IllegalArgumentException("store.influx.timeoutMillis must be 100-600000: " + timeoutMillis);
        }
        if (retryMillis < 0 || retryMillis > 3_600_000) {
            throw new IllegalArgumentException("store.influx.retryMillis must be 0-3600000: " + retryMillis);
        }
    }

    public InfluxConfig withUrl(String url) {
        return new InfluxConfig(url, database, username, password, createSchema, timeoutMillis, retryMillis);
    }

    public InfluxConfig withDatabase(String database) {
        return new InfluxConfig(url, database, username, password, createSchema, timeoutMillis, retryMillis);
    }

    public InfluxConfig withTiming(int timeoutMillis, int retryMillis) {
        return new InfluxConfig(url, database, username, password, createSchema, timeoutMillis, retryMillis);
    }

    private static String requireUrl(String url) {
        String message = "store.influx.url must be an http:// or https:// URL such as http://127.0.0.1:8086: " + url;
        if (url == null) {
            throw new IllegalArgumentException(message);
        }
        try {
            URI uri = new URI(url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(message);
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "InfluxConfig[url=" + url + ", database=" + database + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", createSchema=" + createSchema
                + ", timeoutMillis=" + timeoutMillis + ", retryMillis=" + retryMillis + "]";
    }
}

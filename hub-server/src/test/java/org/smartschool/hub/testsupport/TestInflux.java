package org.smartschool.hub.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.smartschool.hub.config.InfluxConfig;

/**
 * The real InfluxDB (1.x) tests run against: {@code SS_TEST_INFLUX_URL} (CI starts influxd and sets it).
 * Without it the test is skipped with a message saying what to set, unless
 * {@code SS_TEST_REQUIRE_SERVICES=1} (CI), where it fails: CI never skips silently.
 *
 * <p>Tests share the server with other builds: each test class uses a database of its own
 * ({@link #uniqueDatabase}) and drops it at the end. Checks that need InfluxDB's own view (is a
 * card uid anywhere in the database?) talk to its HTTP API directly here, not through the store.
 */
public final class TestInflux {
    public static final String URL_VARIABLE = "SS_TEST_INFLUX_URL";
    public static final String REQUIRE_VARIABLE = "SS_TEST_REQUIRE_SERVICES";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestInflux() {
    }

    /** The URL of a running InfluxDB, or the test is aborted (failed with SS_TEST_REQUIRE_SERVICES=1). */
    public static String url() {
        return resolve(System.getenv());
    }

    static String resolve(Map<String, String> env) {
        String configured = env.get(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String message = "no InfluxDB for this test: set " + URL_VARIABLE
                + " (e.g. http://127.0.0.1:8086 of a running influxd 1.x)";
        if ("1".equals(env.get(REQUIRE_VARIABLE))) {
            return Assertions.fail(message + " (" + REQUIRE_VARIABLE + "=1: services are required, not skipped)");
        }
        Assumptions.abort(message);
        return null; // not reached: abort throws
    }

    /** {@code t_<class>_<random>}: unique across the builds sharing the server. */
    public static String uniqueDatabase(Class<?> testClass) {
        String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return "t_" + name.substring(0, Math.min(name.length(), 30)) + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A store configuration for {@code database} on the test server: short timeouts, a short retry bound. */
    public static InfluxConfig config(String url, String database) {
        return InfluxConfig.DEFAULT.withUrl(url).withDatabase(database).withTiming(5_000, 10_000);
    }

    /** Runs InfluxQL on the server (POST /query) and returns the JSON answer; fails the test on an HTTP error. */
    public static String query(String url, String database, String influxQl) {
        String body = "q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8)
                + (database == null ? "" : "&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8))
                + "&epoch=ms";
        return post(url + "/query", body, "application/x-www-form-urlencoded");
    }

    /** Writes line protocol (ms precision) as another program would, bypassing the store. */
    public static String writeLines(String url, String database, String retentionPolicy, String lines) {
        return post(url + "/write?db=" + database + "&rp=" + retentionPolicy + "&precision=ms", lines, "text/plain");
    }

    public static void dropDatabase(String url, String database) {
        query(url, null, "DROP DATABASE \"" + database + "\"");
    }

    private static String post(String url, String body, String contentType) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("InfluxDB answered " + response.statusCode() + " to " + url + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("InfluxDB at " + url + " does not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package org.smartschool.dashboards;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real InfluxDB (1.x) the dashboards' queries run against: {@code SS_TEST_INFLUX_URL} (CI starts influxd and
 * sets it), as the hub's tests find it. Without it the tests are skipped with a message saying what to set, unless
 * {@code SS_TEST_REQUIRE_SERVICES=1} (CI), where they fail. Each test class uses a database of its own and drops it.
 *
 * <p>Queries go to {@code /query} as Grafana's InfluxDB data source sends them with InfluxQL (GET, {@code db},
 * {@code q}, {@code epoch=ms}).
 */
final class TestInflux {
    static final String URL_VARIABLE = "SS_TEST_INFLUX_URL";
    static final String REQUIRE_VARIABLE = "SS_TEST_REQUIRE_SERVICES";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestInflux() {
    }

    /** The URL of a running InfluxDB, or the test is aborted (failed with SS_TEST_REQUIRE_SERVICES=1). */
    static String url() {
        Map<String, String> env = System.getenv();
        String configured = env.get(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String message = "no InfluxDB for the dashboards' queries: set " + URL_VARIABLE
                + " (e.g. http://127.0.0.1:8086 of a running influxd 1.x)";
        if ("1".equals(env.get(REQUIRE_VARIABLE))) {
            return Assertions.fail(message + " (" + REQUIRE_VARIABLE + "=1: services are required, not skipped)");
        }
        Assumptions.abort(message);
        return null; // not reached: abort throws
    }

    /** {@code t_dash_<what>_<random>}: unique across the builds sharing the server. */
    static String uniqueDatabase(String what) {
        return "t_dash_" + what + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Runs InfluxQL as Grafana does (GET /query) and returns InfluxDB's JSON answer; fails on an HTTP error. */
    static JsonNode query(String url, String database, String influxQl) {
        String uri = url + "/query?epoch=ms&q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8)
                + (database == null ? "" : "&db=" + URLEncoder.encode(database, StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(uri)).GET(), uri);
    }

    /** Runs a statement that changes something (POST /query): CREATE, DROP. */
    static JsonNode execute(String url, String influxQl) {
        String body = "q=" + URLEncoder.encode(influxQl, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(url + "/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), url + "/query");
    }

    /** Writes line protocol (ms precision) to {@code retentionPolicy}. */
    static void write(String url, String database, String retentionPolicy, String lines) {
        String uri = url + "/write?db=" + database + "&rp=" + retentionPolicy + "&precision=ms";
        send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(lines)), uri);
    }

    static void dropDatabase(String url, String database) {
        execute(url, "DROP DATABASE \"" + database + "\"");
    }

    private static JsonNode send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("InfluxDB answered " + response.statusCode() + " to " + what + ": " + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("InfluxDB at " + what + " does not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

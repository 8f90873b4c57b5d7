package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.testsupport.TestInflux;

/** The demo with {@code --influx}: the whole district delivers into the real InfluxDB, and the API reads it back. */
@Timeout(120)
class DemoOnInfluxTest {
    /** The demo's admin API token, for the API reads. */
    private volatile String token;
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(40);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String url;
    private String database;

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }

    /** Verifies that demo readings, history included, reach InfluxDB and come back through /api/v1/readings, raw and aggregated. */
    @Test
    void demoReadingsGoToInfluxDbAndComeBackThroughTheApi(@TempDir Path dir) throws Exception {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(DemoOnInfluxTest.class);
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, 1, 2, dir, Duration.ofMinutes(5))
                .withInflux(TestInflux.config(url, database));

        try (DemoDistrict district = DemoDistrict.start(settings)) {
            token = district.apiToken(); // the demo's admin API token
            int port = district.httpPort();
            JsonObject body = awaitHistory(port);
            long now = System.currentTimeMillis();
            long oldest = body.getJsonArray("readings").stream().mapToLong(r -> ((JsonObject) r).getLong("timestamp")).min().orElseThrow();
            assertThat(oldest).isBetween(now - Duration.ofMinutes(6).toMillis(), now - Duration.ofMinutes(4).toMillis());
            assertThat(body.getJsonArray("readings").stream().map(r -> ((JsonObject) r).getDouble("value")))
                    .allSatisfy(v -> assertThat(v).isBetween(350.0, 5000.0));

            // the readings are InfluxDB's: counted there directly
            JsonNode count = new ObjectMapper().readTree(TestInflux.query(url, database,
                    "SELECT count(co2) FROM raw.reading WHERE school = 'school-01' AND room = 'r101'"));
            long inInflux = count.path("results").path(0).path("series").path(0).path("values").path(0).path(1).asLong();
            assertThat(inInflux).isGreaterThanOrEqualTo(body.getJsonArray("readings").size());

            JsonObject perMinute = get(port, "/api/v1/readings?school=school-01&room=r101&quantity=co2&step=1m&agg=max");
            assertThat(perMinute.getString("agg")).isEqualTo("max");
            assertThat(perMinute.getJsonArray("series").size()).isBetween(5, 8);
        }
    }

    /** The CO2 readings of school-01's room r101 once 25 of them (the 5 minutes of history) arrived. */
    private JsonObject awaitHistory(int port) throws Exception {
        long deadline = System.nanoTime() + DATA_DEADLINE.toNanos();
        JsonObject body = null;
        while (System.nanoTime() < deadline) {
            body = readingsSoFar(port, "/api/v1/readings?school=school-01&room=r101&quantity=co2");
            if (body.getJsonArray("readings").size() >= 25) {
                return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("fewer than 25 CO2 readings of school-01/r101 within " + DATA_DEADLINE + ": " + body);
    }

    /** The readings of a room, none while the room has not reported yet (404). */
    private JsonObject readingsSoFar(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return new JsonObject().put("readings", new io.vertx.core.json.JsonArray());
        }
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private JsonObject get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}

package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class DemoDistrictTest {
    /** The demo's admin API token, for the API reads. */
    private volatile String token;
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(40);
    private static final Duration THREADS_DEADLINE = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Verifies that the whole chain (virtual firmware, device broker, one gateway per school, hub)
     * delivers readings of every school to the hub's API, history included, and stops cleanly.
     */
    @Test
    void deliversReadingsOfEverySchoolToTheApiAndStopsCleanly(@TempDir Path dir) throws Exception {
        Set<Thread> threadsBefore = CleanShutdown.liveNonDaemonThreads();
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, 2, 3, dir, Duration.ofMinutes(5));
        int port;
        try (DemoDistrict district = DemoDistrict.start(settings)) {
            token = district.apiToken(); // the demo's admin API token
            port = district.httpPort();
            assertThat(district.url()).isEqualTo("http://localhost:" + port + "/");
            assertThat(district.schoolIds()).containsExactly("school-01", "school-02");

            for (String school : district.schoolIds()) {
                JsonObject body = awaitRecentCo2(port, school);
                long now = System.currentTimeMillis();
                List<Long> times = body.getJsonArray("readings").stream()
                        .map(r -> ((JsonObject) r).getLong("timestamp")).sorted().toList();
                List<Double> values = body.getJsonArray("readings").stream()
                        .map(r -> ((JsonObject) r).getDouble("value")).toList();
                assertThat(body.getString("unit")).isEqualTo("ppm");
                // one reading every 10 s: the 5 minutes of history arrived, not only the live readings
                assertThat(times).hasSizeGreaterThanOrEqualTo(25);
                assertThat(times.get(0)).isBetween(now - Duration.ofMinutes(6).toMillis(), now - Duration.ofMinutes(4).toMillis());
                assertThat(values).allSatisfy(v -> assertThat(v).isBetween(350.0, 5000.0));
                // the registry (the example inventory the demo loads) knows the device that sent them
                String device = body.getJsonArray("readings").getJsonObject(0).getString("device");
                JsonObject equipment = get(port, "/api/v1/registry/schools/" + school + "/equipment/" + device);
                assertThat(equipment.getString("room")).isEqualTo("r101");
                assertThat(equipment.getString("type")).isEqualTo("air-quality-sensor");
                // the school's roster, made from the simulated classes, so that its door taps become attendance
                JsonObject roster = get(port, "/api/v1/schools/" + school + "/roster");
                assertThat(roster.getInteger("learners")).isGreaterThanOrEqualTo(3 * 35);
                assertThat(roster.getInteger("cards")).isEqualTo(roster.getInteger("learners"));
            }
            assertThat(dir.resolve("inventory.yaml")).exists();
            Map<String, Integer> roomsWithCo2 = roomsWithCo2(get(port, "/api/v1/schools"));
            assertThat(roomsWithCo2).containsExactlyInAnyOrderEntriesOf(Map.of("school-01", 3, "school-02", 3));
        }
        CleanShutdown.assertPortFree(port);
        CleanShutdown.awaitNoNewNonDaemonThreads(threadsBefore, THREADS_DEADLINE);
    }

    /** The CO2 readings of the school's room r101, once the newest is at most 30 s old. */
    private JsonObject awaitRecentCo2(int port, String school) throws Exception {
        long deadline = System.nanoTime() + DATA_DEADLINE.toNanos();
        JsonObject body = null;
        while (System.nanoTime() < deadline) {
            body = readingsSoFar(port, "/api/v1/readings?school=" + school + "&room=r101&quantity=co2");
            long newest = body.getJsonArray("readings").stream()
                    .mapToLong(r -> ((JsonObject) r).getLong("timestamp")).max().orElse(0);
            // the gateway keeps several batches in flight and the hub stores them concurrently, so a live
            // reading can be stored before the history batches sent ahead of it: wait for both
            if (newest >= System.currentTimeMillis() - 30_000 && body.getJsonArray("readings").size() >= 25) {
                return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no recent CO2 reading of " + school + "/r101 within " + DATA_DEADLINE + ": " + body);
    }

    private static Map<String, Integer> roomsWithCo2(JsonObject schools) {
        Map<String, Integer> found = new TreeMap<>();
        for (Object s : schools.getJsonArray("schools")) {
            JsonObject school = (JsonObject) s;
            int rooms = 0;
            for (Object r : school.getJsonArray("rooms", new JsonArray())) {
                boolean co2 = ((JsonObject) r).getJsonArray("latest", new JsonArray()).stream()
                        .anyMatch(v -> "co2".equals(((JsonObject) v).getString("quantity")));
                rooms += co2 ? 1 : 0;
            }
            if (rooms > 0) {
                found.put(school.getString("school"), rooms);
            }
        }
        return found;
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

package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.Batches.T0;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.ControllableStore;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.Http.Response;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;

/** The HTTP API of a running hub. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpApiTest {
    private static final String BASE = "/api/v1/readings?school=" + SCHOOL_1 + "&room=r1-01&quantity=co2";

    @TempDir
    Path dir;

    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private Http startHub(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        return Http.admin(hub);
    }

    /** Verifies that each bad parameter is answered 400 with a JSON error naming it, and counted. */
    @Test
    void badParametersAreAnswered400NamingTheParameter(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        String[][] cases = {
            {"/api/v1/readings?room=r1-01&quantity=co2", "school"},
            {BASE.replace("co2", "carbon"), "quantity"},
            {BASE + "&from=yesterday", "from"},
            {BASE + "&from=2025-03-11T00:00:00Z&to=2025-03-10T00:00:00Z", "from"},
            {BASE + "&limit=0", "limit"},
            {BASE + "&to=2025-13-01T00:00:00Z", "to"},
        };

        for (String[] c : cases) {
            Response response = http.get(c[0]);
            assertThat(response.status()).as(c[0]).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(response.json().getString("parameter")).as(c[0]).isEqualTo(c[1]);
            assertThat(response.json().getString("error")).isNotBlank();
        }
        assertThat(http.get(BASE.replace("co2", "carbon")).json().getString("error")).contains("co2", "temperature", "pm25");
        assertThat(http.metric("hub_http_bad_requests_total")).isEqualTo(cases.length + 1.0);
    }

    /** Verifies that readings come in time order with their unit, and that a limit cuts and says so. */
    @Test
    void readingsAreOrderedAndLimited(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-6", T0, 5)).reasonCode()).isZero();
        }
        String window = "&from=2025-03-10T01:00:00Z&to=2025-03-10T01:00:40Z";

        JsonObject all = http.get(BASE + window).json();
        JsonObject firstTwo = http.get(BASE + window + "&limit=2").json();

        assertThat(all.getString("school")).isEqualTo(SCHOOL_1);
        assertThat(all.getString("quantity")).isEqualTo("co2");
        assertThat(all.getString("unit")).isEqualTo("ppm");
        assertThat(all.getString("from")).isEqualTo("2025-03-10T01:00:00Z");
        assertThat(all.getString("to")).isEqualTo("2025-03-10T01:00:40Z");
        // to is exclusive: the reading at 01:00:40 is left out
        assertThat(all.getJsonArray("readings").stream().map(r -> ((JsonObject) r).getDouble("value")))
                .containsExactly(600.0, 610.0, 620.0, 630.0);
        assertThat(all.getBoolean("truncated")).isFalse();
        assertThat(firstTwo.getJsonArray("readings")).hasSize(2);
        assertThat(firstTwo.getBoolean("truncated")).isTrue();
        assertThat(http.get(BASE + window + "&device=someone-else").json().getJsonArray("readings")).isEmpty();
    }

    /** Verifies that step and agg answer the aggregated series the store computed, steps aligned to the epoch. */
    @Test
    void aggregatedSeriesIsComputedByTheStore(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-6", T0, 5)).reasonCode()).isZero();
        }
        String window = "&from=2025-03-10T01:00:00Z&to=2025-03-10T01:00:40Z";

        JsonObject max = http.get(BASE + window + "&step=20s&agg=max").json();
        JsonObject mean = http.get(BASE + window + "&step=PT20S").json();
        JsonObject last = http.get(BASE + window + "&step=1m&agg=last").json();
        JsonObject cut = http.get(BASE + window + "&step=20s&agg=min&limit=1").json();

        assertThat(max.getString("step")).isEqualTo("PT20S");
        assertThat(max.getString("agg")).isEqualTo("max");
        assertThat(max.getString("unit")).isEqualTo("ppm");
        assertThat(max.getJsonArray("series").stream().map(p -> ((JsonObject) p).getString("time") + "=" + ((JsonObject) p).getDouble("value")))
                .containsExactly("2025-03-10T01:00:00Z=610.0", "2025-03-10T01:00:20Z=630.0");
        assertThat(max.getBoolean("truncated")).isFalse();
        assertThat(mean.getString("agg")).isEqualTo("mean");
        assertThat(mean.getJsonArray("series").stream().map(p -> ((JsonObject) p).getDouble("value"))).containsExactly(605.0, 625.0);
        assertThat(last.getJsonArray("series").stream().map(p -> ((JsonObject) p).getLong("timestamp") + "=" + ((JsonObject) p).getDouble("value")))
                .containsExactly(T0 + "=630.0");
        assertThat(cut.getJsonArray("series")).hasSize(1);
        assertThat(cut.getBoolean("truncated")).isTrue();
    }

    /** Verifies that a bad step or agg is answered 400 naming it, also a step that would cut the window into too many steps. */
    @Test
    void badStepOrAggIsAnswered400NamingIt(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        String[][] cases = {
            {BASE + "&step=0s", "step"},
            {BASE + "&step=fortnight", "step"},
            {BASE + "&step=1m&agg=median", "agg"},
            {BASE + "&agg=mean", "step"},
            {BASE + "&step=1s", "step"},
        };

        for (String[] c : cases) {
            Response response = http.get(c[0]);
            assertThat(response.status()).as(c[0]).isEqualTo(400);
            assertThat(response.json().getString("parameter")).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(http.get(BASE + "&step=1s").json().getString("error")).contains("86400 steps").contains("larger step");
    }

    /** Verifies that /api/v1/schools lists configured schools by name, their rooms and latest values with units. */
    @Test
    void schoolsListRoomsWithLatestValues(Vertx vertx) throws Exception {
        Http http = startHub(vertx);
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-4", T0, 3));
        }

        JsonArray schools = http.get("/api/v1/schools").json().getJsonArray("schools");

        assertThat(schools.stream().map(s -> ((JsonObject) s).getString("school"))).containsExactly(SCHOOL_2, SCHOOL_1);
        JsonObject school = schools.getJsonObject(1);
        assertThat(school.getString("name")).isEqualTo("THCS Nguyễn Du");
        assertThat(school.getJsonArray("gateways").getJsonObject(0).getString("gateway")).isEqualTo(GATEWAY_1);
        JsonObject room = school.getJsonArray("rooms").getJsonObject(0);
        assertThat(room.getString("room")).isEqualTo("r1-01");
        JsonObject co2 = room.getJsonArray("latest").getJsonObject(0);
        assertThat(co2.getMap()).containsEntry("quantity", "co2").containsEntry("unit", "ppm").containsEntry("value", 620.0)
                .containsEntry("timestamp", T0 + 20_000).containsEntry("time", "2025-03-10T01:00:20Z");
        assertThat(room.getJsonArray("latest").getJsonObject(1).getString("unit")).isEqualTo("Cel");
        assertThat(schools.getJsonObject(0).getJsonArray("rooms")).isEmpty();
    }

    /** Verifies that /health is UP while the store answers and 503 when it does not. */
    @Test
    void healthFollowsTheStore(Vertx vertx) throws Exception {
        HubConfig config = HubFixture.config(dir);
        ControllableStore store = new ControllableStore(HubFixture.openStore(config));
        hub = HubFixture.start(vertx, config, store);
        Http http = Http.admin(hub);

        Response up = http.get("/health");
        store.down(true);
        Response down = http.get("/health");

        assertThat(up.status()).isEqualTo(200);
        assertThat(up.json().getString("status")).isEqualTo("UP");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().getString("status")).isEqualTo("DOWN");
    }

    /**
     * Verifies that the console's page, its own files and its libraries (WebJars) are served from the jar with their
     * content types and cache headers: the console's revalidated each time (304 when unchanged), a WebJar's kept a year.
     */
    @Test
    void consolePageAndItsFilesAreServed(Vertx vertx) throws Exception {
        Http http = startHub(vertx);

        Response page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<meta name=\"viewport\"", "/console/console.js", "/webjars/leaflet/1.9.4/dist/leaflet.js",
                "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "id=\"login-form\"");

        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + hub.httpPort();
        java.net.http.HttpResponse<String> script = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/console/console.js")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(script.body()).contains("EventSource(\"/api/v1/events/stream\")");
        String lastModified = script.headers().firstValue("Last-Modified").orElseThrow();
        java.net.http.HttpResponse<String> again = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/console/console.js")).header("If-Modified-Since", lastModified).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as("unchanged: revalidated, not sent again").isEqualTo(304);

        java.net.http.HttpResponse<String> dictionary = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/console/i18n/vi.json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(dictionary.statusCode()).isEqualTo(200);
        assertThat(dictionary.body()).contains("\"login.submit\": \"Đăng nhập\"");

        java.net.http.HttpResponse<String> leaflet = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/webjars/leaflet/1.9.4/dist/leaflet.js")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(leaflet.statusCode()).isEqualTo(200);
        assertThat(leaflet.headers().firstValue("Cache-Control").orElse("")).contains("max-age=31536000");
        assertThat(leaflet.body()).contains("Leaflet");
        assertThat(http.get("/webjars/uplot/1.6.30/dist/uPlot.min.css").status()).isEqualTo(200);

        assertThat(http.get("/console/no-such-file.js").status()).isEqualTo(404);
        // no way out of the console's folder to the rest of the jar (org/smartschool/hub/api/openapi.yaml is its neighbour)
        for (String outside : List.of("/console/../api/openapi.yaml", "/console/%2e%2e/api/openapi.yaml",
                "/console/..%2fapi%2fopenapi.yaml", "/webjars/../../../org/smartschool/hub/api/openapi.yaml")) {
            Response answer = http.get(outside);
            assertThat(answer.body()).as("%s: %s", outside, answer.status()).doesNotContain("openapi: 3");
        }
    }

    /** Verifies that /metrics is Prometheus text holding every hub counter from the start. */
    @Test
    void metricsListEveryHubCounter(Vertx vertx) throws Exception {
        Http http = startHub(vertx);

        Response metrics = http.get("/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        for (String name : new String[] {"hub_batches_stored_total", "hub_batches_replayed_total",
                "hub_readings_stored_total", "hub_events_stored_total", "hub_gateway_auth_failures_total",
                "hub_gateways_connected", "hub_http_bad_requests_total",
                "hub_batches_rejected_total{reason=\"not_authorized\"}",
                "hub_batches_rejected_total{reason=\"payload_format_invalid\"}",
                "hub_batches_rejected_total{reason=\"quota_exceeded\"}",
                "hub_batches_rejected_total{reason=\"store_failed\"}"}) {
            assertThat(http.metric(name)).as(name).isEqualTo(0.0);
        }
    }
}

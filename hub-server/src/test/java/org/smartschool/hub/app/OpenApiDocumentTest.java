package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.api.OpenApiRoutes;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;

/** The OpenAPI document served by the hub describes what the hub serves. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenApiDocumentTest {
    private static final org.smartschool.bridge.alarm.AlarmTransition ALARM = new org.smartschool.bridge.alarm.AlarmTransition(
            org.smartschool.bridge.alarm.AlarmId.of(HubFixture.SCHOOL_1, "r1-01/r1-01-air", "co2", Batches.T0),
            HubFixture.SCHOOL_1, "r1-01", "r1-01-air", "co2", org.smartschool.bridge.alarm.AlarmTransition.Kind.RAISED,
            org.smartschool.bridge.alarm.Severity.MAJOR, Batches.T0, Batches.T0, 1620, "15 min mean 1620 ppm above 1500");


    /** Verifies that every route the router serves, with its method, is a path operation of the served document. */
    @Test
    void everyServedRouteIsDescribed(Vertx vertx, @TempDir Path dir) throws Exception {
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        try {
            Http.Response response = Http.admin(hub).get("/api/v1/openapi.yaml");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/yaml");
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(response.body());

            assertThat(doc.path("openapi").asText()).startsWith("3.0.");
            assertThat(doc.path("info").path("title").asText()).isNotBlank();
            assertThat(hub.httpRoutes()).hasSizeGreaterThanOrEqualTo(6);
            for (String route : hub.httpRoutes()) {
                String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
                String path = documentedPath(route.substring(route.indexOf(' ') + 1));
                assertThat(method).as(route).isNotEqualTo("*");
                assertThat(doc.path("paths").path(path).path(method).path("responses").isObject())
                        .as("%s is described with its responses", route).isTrue();
            }
        } finally {
            HubFixture.await(hub.close());
        }
    }

    /** Verifies that every path operation of the document is a route the router serves. */
    @Test
    void everyDescribedRouteIsServed(Vertx vertx, @TempDir Path dir) throws Exception {
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        try {
            List<String> served = hub.httpRoutes().stream()
                    .map(r -> r.substring(0, r.indexOf(' ') + 1) + documentedPath(r.substring(r.indexOf(' ') + 1))).toList();
            List<String> described = new ArrayList<>();
            document().path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }));

            assertThat(described).contains("GET /api/v1/schools/{school}/rooms", "GET /api/v1/schools/{school}/devices");
            assertThat(served).containsAll(described);
        } finally {
            HubFixture.await(hub.close());
        }
    }

    /**
     * Verifies that the hub's answers, successes and errors, match the schemas the document gives them for
     * their status and content type (vertx-openapi's response validator).
     */
    @Test
    void answersMatchTheirDocumentedSchemas(Vertx vertx, @TempDir Path dir) throws Exception {
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        try {
            try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), HubFixture.SCHOOL_1, HubFixture.GATEWAY_1,
                    HubFixture.SECRET_1)) {
                assertThat(gateway.sendBatch(Batches.classroom(HubFixture.GATEWAY_1, HubFixture.SCHOOL_1,
                        HubFixture.GATEWAY_1 + "-oa-1", Batches.T0, 5)).reasonCode()).isZero();
                assertThat(gateway.sendBatch(new org.smartschool.bridge.uplink.Batch(HubFixture.GATEWAY_1 + "-oa-2",
                        HubFixture.GATEWAY_1, HubFixture.SCHOOL_1, List.of(), List.of(
                        org.smartschool.bridge.alarm.AlarmTransitions.asEvent(ALARM)))).reasonCode()).isZero();
            }
            // the served document says servers: [url: /] (wherever the hub runs); the validator wants an absolute URL,
            // and it validates JSON only: the HTML page, the YAML document and CSV are left out of its copy
            @SuppressWarnings("unchecked")
            JsonObject served = new JsonObject(new ObjectMapper().convertValue(document(), java.util.Map.class))
                    .put("servers", new io.vertx.core.json.JsonArray().add(new JsonObject().put("url", "http://127.0.0.1/")));
            for (String path : served.getJsonObject("paths").fieldNames()) {
                for (String method : served.getJsonObject("paths").getJsonObject(path).fieldNames()) {
                    if (!(served.getJsonObject("paths").getJsonObject(path).getValue(method) instanceof JsonObject)) {
                        continue; // path-level parameters
                    }
                    JsonObject operation = served.getJsonObject("paths").getJsonObject(path).getJsonObject(method);
                    JsonObject requestBody = operation.getJsonObject("requestBody");
                    if (requestBody != null && requestBody.getJsonObject("content") != null) {
                        requestBody.getJsonObject("content").fieldNames()
                                .removeIf(type -> !type.equals("application/json") && !type.equals("text/plain"));
                        if (requestBody.getJsonObject("content").isEmpty()) {
                            operation.remove("requestBody");
                        }
                    }
                    JsonObject responses = operation.getJsonObject("responses");
                    for (String status : responses.fieldNames()) {
                        JsonObject content = responses.getJsonObject(status).getJsonObject("content");
                        if (content != null) {
                            content.fieldNames().removeIf(type -> !type.equals("application/json") && !type.equals("text/plain"));
                        }
                    }
                }
            }
            OpenAPIContract contract = HubFixture.await(OpenAPIContract.from(vertx, served));
            ResponseValidator validator = ResponseValidator.create(vertx, contract);
            String school = HubFixture.SCHOOL_1;
            String readings = "/api/v1/readings?school=" + school + "&room=r1-01&quantity=co2"
                    + "&from=2025-03-10T01:00:00Z&to=2025-03-10T02:00:00Z";
            Object[][] cases = {
                {"/health", "health", 200},
                {"/api/v1/schools", "schools", 200},
                {"/api/v1/schools/" + school + "/rooms", "schoolRooms", 200},
                {"/api/v1/schools/" + school + "/devices", "schoolDevices", 200},
                {"/api/v1/schools/thcs-nowhere/rooms", "schoolRooms", 404},
                {"/api/v1/schools/thcs-nowhere/devices", "schoolDevices", 404},
                {"/api/v1/schools/bad!id/devices", "schoolDevices", 400},
                {readings, "readings", 200},
                {readings + "&step=1m&agg=last", "readings", 200},
                {readings + "&limit=2", "readings", 200},
                {readings.replace("2025-03-10T01:00:00Z", "yesterday"), "readings", 400},
                {readings.replace("2025-03-10T01:00:00Z", "2025-01-01T00:00:00Z") + "&step=1s", "readings", 400},
                {readings.replace("r1-01", "r9-99"), "readings", 404},
                {"/api/v1/alarms", "alarms", 200},
                {"/api/v1/alarms?state=active&severity=major&school=" + school, "alarms", 200},
                {"/api/v1/alarms?state=burning", "alarms", 400},
                {"/api/v1/alarms/" + ALARM.alarmId(), "alarm", 200},
                {"/api/v1/alarms/no-such-alarm", "alarm", 404},
                {"/api/v1/webhooks", "webhooks", 200},
                {"/api/v1/webhooks/dead-letters", "webhookDeadLetters", 200},
                {"/api/v1/webhooks/dead-letters?limit=0", "webhookDeadLetters", 400},
                {"/api/v1/attendance?school=" + school + "&date=2026-12-03", "attendanceDay", 200},
                {"/api/v1/attendance?school=thcs-nowhere&date=2026-12-03", "attendanceDay", 404},
                {"/api/v1/attendance?school=" + school + "&date=03.12.2026", "attendanceDay", 400},
                {"/api/v1/attendance/rates?from=2026-12-01&to=2026-12-03", "attendanceRates", 200},
                {"/api/v1/attendance/rates?from=2026-12-01", "attendanceRates", 400},
                {"/api/v1/attendance/dead-letters?school=" + school, "attendanceDeadLetters", 200},
            };
            Http.Response posted = Http.admin(hub).send("POST", "/api/v1/attendance/events", new JsonObject()
                    .put("eventId", "att-oa-1").put("school", school).put("learnerId", "079201001234").put("classId", "6a")
                    .put("date", "2026-12-03").put("session", "morning").put("category", "late")
                    .put("at", "2026-12-03T00:12:40Z").encode());
            assertThat(posted.status()).as(posted.body()).isEqualTo(202);
            // the validator is live: an answer off its schema fails
            assertThat(validator.validate(ValidatableResponse.create(200, Buffer.buffer("{\"school\":\"x\",\"time\":\"t\"}"),
                    "application/json"), "schoolDevices").toCompletionStage().toCompletableFuture())
                    .failsWithin(java.time.Duration.ofSeconds(10));
            Http http = Http.admin(hub);
            for (Object[] c : cases) {
                Http.Response response = http.get((String) c[0]);
                assertThat(response.status()).as("%s: %s", c[0], response.body()).isEqualTo(c[2]);
                // the validator looks the media type up as written in the document, without its charset parameter
                String mediaType = response.contentType().split(";")[0].strip();
                assertThat(mediaType).as(c[0].toString()).isEqualTo("application/json");
                ValidatableResponse answer = ValidatableResponse.create(response.status(), Buffer.buffer(response.body()),
                        mediaType);
                try {
                    HubFixture.await(validator.validate(answer, (String) c[1]));
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError(c[0] + " does not match the document: " + e.getCause().getMessage()
                            + "\n" + response.body(), e.getCause());
                }
            }
        } finally {
            HubFixture.await(hub.close());
        }
    }

    /** Vert.x's {@code /api/v1/schools/:school/rooms} as OpenAPI writes it, {@code /api/v1/schools/{school}/rooms}. */
    private static String documentedPath(String routerPath) {
        return routerPath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    }

    private JsonNode document() throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream(OpenApiRoutes.RESOURCE)) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    /** Verifies that every $ref in the document points at a schema it defines. */
    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc;
        try (var in = getClass().getClassLoader().getResourceAsStream("org/smartschool/hub/api/openapi.yaml")) {
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        java.util.List<String> refs = new java.util.ArrayList<>();
        collectRefs(doc, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/");
            String[] parts = ref.substring("#/components/".length()).split("/");
            assertThat(parts).as(ref).hasSize(2);
            assertThat(doc.path("components").path(parts[0]).has(parts[1])).as(ref).isTrue();
        }
    }

    private static void collectRefs(JsonNode node, java.util.List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}

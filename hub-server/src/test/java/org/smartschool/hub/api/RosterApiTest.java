package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.roster.RosterExamples;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Inventories;

/**
 * The roster API behind the write access: imports, refusals, summary, excuses, revocation and rotation, each answer
 * checked against its schema in openapi.yaml, and none quoting a learner id or UID.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RosterApiTest {
    private static final String TOKEN = "roster-token-0123456789";
    private static final String BASE = "/api/v1/schools/school-01";

    @TempDir
    Path dir;
    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    /**
     * Verifies the answers: 401 without the token, 404 for a school the registry does not know, 400 for a bad
     * format or a body that is no zip, 200 with the counts for an import, the summary, 201 then 200 for the same
     * excuse, 400 for a learner not on the roster (without the id), revocation and rotation.
     */
    @Test
    void answersAsDocumented(Vertx vertx) throws Exception {
        // a handler that throws is only logged by Vert.x: collected here (a refused body once threw on HTTP/2)
        java.util.List<Throwable> unhandled = new java.util.concurrent.CopyOnWriteArrayList<>();
        vertx.exceptionHandler(unhandled::add);
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base.withRegistry(new RegistryConfig(Inventories.example().toString(), TOKEN)));
        ResponseValidator validator = ResponseValidator.create(vertx, HubFixture.await(OpenAPIContract.from(vertx, jsonOnlyDocument())));
        byte[] zip = RosterExamples.zip(RosterExamples.csv());

        assertThat(put(BASE + "/roster", zip, false).statusCode()).isEqualTo(401);
        check(validator, "importRoster", put("/api/v1/schools/school-99/roster", zip, true), 404);
        check(validator, "importRoster", put(BASE + "/roster?format=xlsx", zip, true), 400);
        JsonObject notZip = check(validator, "importRoster", put(BASE + "/roster", "not a zip".getBytes(StandardCharsets.UTF_8), true), 400);
        assertThat(notZip.getJsonArray("problems").getJsonObject(0).getString("message")).isEqualTo("not a zip archive of CSV files");
        check(validator, "rosterSummary", get(BASE + "/roster"), 404);

        JsonObject imported = check(validator, "importRoster", put(BASE + "/roster", zip, true), 200);
        assertThat(imported.getInteger("learners")).isEqualTo(272);
        assertThat(imported.getInteger("classes")).isEqualTo(8);
        assertThat(imported.getInteger("sections")).isEqualTo(3);
        assertThat(imported.getString("cardKey")).startsWith("k-");
        JsonObject summary = check(validator, "rosterSummary", get(BASE + "/roster"), 200);
        assertThat(summary.getJsonObject("term").getString("from")).isEqualTo("2026-09-05");

        Map<String, byte[]> badFiles = new TreeMap<>(RosterExamples.csv());
        badFiles.put("classes.csv", new String(badFiles.get("classes.csv"), StandardCharsets.UTF_8).replace(",r101,", ",phong-99,")
                .getBytes(StandardCharsets.UTF_8));
        JsonObject refused = check(validator, "importRoster", put(BASE + "/roster", RosterExamples.zip(badFiles), true), 400);
        assertThat(refused.getJsonArray("problems").getJsonObject(0).getMap()).containsEntry("file", "classes.csv")
                .containsEntry("line", 2).containsEntry("column", "room");
        assertThat(refused.getBoolean("truncated")).isFalse();
        assertThat(check(validator, "rosterSummary", get(BASE + "/roster"), 200).getLong("revision"))
                .isEqualTo(summary.getLong("revision"));

        String learner = "079214046885";
        String excuse = new JsonObject().put("learner", learner).put("date", LocalDate.now().toString()).put("session", "morning")
                .put("period", null).encode();
        check(validator, "addExcuse", post(BASE + "/attendance/excuses", excuse, true), 201);
        check(validator, "addExcuse", post(BASE + "/attendance/excuses", excuse, true), 200);
        Http.Response stranger = post(BASE + "/attendance/excuses", excuse.replace(learner, "079299999999"), true);
        check(validator, "addExcuse", stranger, 400);
        assertThat(stranger.body()).contains("not on the school's roster").doesNotContain("079299999999");
        check(validator, "addExcuse", post(BASE + "/attendance/excuses", excuse.replace("morning", "evening"), true), 400);

        check(validator, "revokeCard", post(BASE + "/roster/cards/revoke", "{\"uid\":\"04:9e:60:56\"}", true), 200);
        Http.Response unknownCard = post(BASE + "/roster/cards/revoke", "{\"uid\":\"0A0B0C0D\"}", true);
        check(validator, "revokeCard", unknownCard, 404);
        assertThat(unknownCard.body()).doesNotContain("0A0B0C0D");
        assertThat(check(validator, "rosterSummary", get(BASE + "/roster"), 200).getInteger("revokedCards"))
                .isEqualTo(summary.getInteger("revokedCards") + 1);

        JsonObject rotated = check(validator, "rotateCardKey", post(BASE + "/roster/card-key/rotate", null, true), 200);
        assertThat(rotated.getString("cardKey")).isNotEqualTo(imported.getString("cardKey"));
        assertThat(check(validator, "rosterSummary", get(BASE + "/roster"), 200).getString("cardKey"))
                .isEqualTo(rotated.getString("cardKey"));
        assertThat(unhandled).as("exceptions no handler caught").isEmpty();
    }

    private JsonObject check(ResponseValidator validator, String operation, Object response, int status) throws Exception {
        int code;
        String body;
        if (response instanceof HttpResponse<?> r) {
            code = r.statusCode();
            body = (String) r.body();
        } else {
            Http.Response r = (Http.Response) response;
            code = r.status();
            body = r.body();
        }
        assertThat(code).as("%s: %s", operation, body).isEqualTo(status);
        try {
            HubFixture.await(validator.validate(ValidatableResponse.create(code, Buffer.buffer(body), "application/json"), operation));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(operation + " " + code + " does not match the document: " + e.getCause().getMessage() + "\n" + body);
        }
        return new JsonObject(body);
    }

    private HttpResponse<String> put(String path, byte[] zip, boolean token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
                .header("Content-Type", "application/zip").PUT(HttpRequest.BodyPublishers.ofByteArray(zip));
        if (token) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Http.Response post(String path, String json, boolean token) throws Exception {
        return new Http(hub.httpPort()).send("POST", path, json, token ? new String[] {"Authorization", "Bearer " + TOKEN} : new String[0]);
    }

    private Http.Response get(String path) throws Exception {
        return new Http(hub.httpPort(), TOKEN).get(path);
    }

    /** The served document with an absolute server and JSON bodies only, as vertx-openapi's validator wants it. */
    @SuppressWarnings("unchecked")
    private JsonObject jsonOnlyDocument() throws Exception {
        JsonObject doc;
        try (var in = getClass().getClassLoader().getResourceAsStream(OpenApiRoutes.RESOURCE)) {
            doc = new JsonObject(new ObjectMapper().convertValue(new ObjectMapper(new YAMLFactory()).readTree(in), Map.class));
        }
        doc.put("servers", new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1/")));
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                if (!(paths.getJsonObject(path).getValue(method) instanceof JsonObject operation) || method.equals("parameters")) {
                    continue;
                }
                JsonObject requestBody = operation.getJsonObject("requestBody");
                if (requestBody != null && requestBody.getJsonObject("content") != null) {
                    requestBody.getJsonObject("content").fieldNames().removeIf(t -> !t.equals("application/json"));
                    if (requestBody.getJsonObject("content").isEmpty()) {
                        operation.remove("requestBody");
                    }
                }
                JsonObject responses = operation.getJsonObject("responses");
                for (String status : responses.fieldNames()) {
                    JsonObject content = responses.getJsonObject(status).getJsonObject("content");
                    if (content != null) {
                        content.fieldNames().removeIf(t -> !t.equals("application/json") && !t.equals("text/plain"));
                    }
                }
            }
        }
        return doc;
    }
}

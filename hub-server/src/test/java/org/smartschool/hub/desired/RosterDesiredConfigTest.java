package org.smartschool.hub.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.roster.RosterExamples;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.TestAuth;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Inventories;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * Each school's gateway, a real MQTT 5 client on the hub's endpoint, gets the {@code attendance} section of its own
 * school's roster only, with card hashes under its school's key and no names or UIDs, and a new version after each
 * import, excuse and key rotation; a refused import changes nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RosterDesiredConfigTest {
    private static final String SCHOOL_1 = "school-01";
    private static final String SCHOOL_2 = "school-02";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private Hub hub;
    private final List<TestGateway> gateways = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (TestGateway g : gateways) {
            g.close();
        }
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    /**
     * Verifies that after a CSV import for school-01 its gateway gets exactly that roster's learners, class
     * assignments and hashed cards (checked against the files with the key it was sent), the timetable's lesson
     * hours and a higher version, while school-02's gateway gets nothing until its own OneRoster import, which
     * carries only school-02's learners under another key.
     */
    @Test
    void eachGatewayGetsItsOwnSchoolsRosterAfterAnImport(Vertx vertx) throws Exception {
        startHub(vertx);
        TestGateway gw1 = gateway(SCHOOL_1, "gw-school-01", "s3cret-school-01");
        TestGateway gw2 = gateway(SCHOOL_2, "gw-school-02", "s3cret-school-02");
        JsonObject before1 = awaitConfig(gw1, 1);
        awaitConfig(gw2, 1);
        assertThat(before1.containsKey("attendance")).isFalse();

        HttpResponse<String> imported = put(SCHOOL_1, "csv", RosterExamples.zip(RosterExamples.csv()));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(new JsonObject(imported.body()).getInteger("learners")).isEqualTo(272);

        JsonObject config1 = awaitConfig(gw1, 2);
        assertThat(config1.getLong("version")).isGreaterThan(before1.getLong("version"));
        JsonObject att1 = config1.getJsonObject("attendance");
        assertThatSectionIsTheFiles(att1, csvRows("school-01", "learners.csv"), csvRows("school-01", "cards.csv"));
        assertThat(config1.getJsonObject("rules").getJsonObject("lessonHours").getJsonArray("windows").getList())
                .containsExactly("07:00-11:25", "13:30-17:00");
        assertThat(config1.getJsonObject("rules").getJsonObject("roomKinds").getString("r101")).isEqualTo("classroom");
        for (String name : column(csvRows("school-01", "learners.csv"), "name")) {
            assertThat(config1.encode()).doesNotContain(name);
        }

        HttpResponse<String> imported2 = put(SCHOOL_2, "oneroster", RosterExamples.zip(RosterExamples.oneRoster()));
        assertThat(imported2.statusCode()).as(imported2.body()).isEqualTo(200);
        JsonObject att2 = awaitConfig(gw2, 2).getJsonObject("attendance");
        Set<String> ids2 = learnerIds(att2);
        assertThat(ids2).hasSize(240).doesNotContainAnyElementsOf(learnerIds(att1));
        assertThat(att2.getJsonObject("cardKey").getString("id")).isNotEqualTo(att1.getJsonObject("cardKey").getString("id"));
        // school-02's import reached its gateway: school-01's sent nothing more
        assertThat(gw1.received()).hasSize(2);
        assertThat(Http.admin(hub).get("/api/v1/schools/" + SCHOOL_2 + "/roster").json().getString("format"))
                .isEqualTo("oneroster");
    }

    /**
     * Verifies that a refused import answers 400 naming file, line and column for each problem, without the id,
     * and sends nothing; that the next excuse arrives as the only new configuration; and that a key rotation
     * sends a new key with every card hash recomputed in one configuration.
     */
    @Test
    void aBadImportChangesNothingWhileExcusesAndKeyRotationsArePublished(Vertx vertx) throws Exception {
        startHub(vertx);
        TestGateway gw1 = gateway(SCHOOL_1, "gw-school-01", "s3cret-school-01");
        awaitConfig(gw1, 1);
        assertThat(put(SCHOOL_1, "csv", RosterExamples.zip(RosterExamples.csv())).statusCode()).isEqualTo(200);
        JsonObject imported = awaitConfig(gw1, 2);
        int revision = Http.admin(hub).get("/api/v1/schools/" + SCHOOL_1 + "/roster").json().getInteger("revision");

        Map<String, byte[]> bad = new TreeMap<>(RosterExamples.csv());
        String learners = new String(bad.get("learners.csv"), StandardCharsets.UTF_8);
        String firstId = learners.split("\n")[1].substring(0, 12);
        bad.put("learners.csv", learners.replace(firstId + ",", firstId.substring(1) + ",").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> refused = put(SCHOOL_1, "csv", RosterExamples.zip(bad));
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonObject answer = new JsonObject(refused.body());
        assertThat(answer.getJsonArray("problems").getJsonObject(0).getMap()).containsEntry("file", "learners.csv")
                .containsEntry("line", 2).containsEntry("column", "learner_id");
        assertThat(refused.body()).doesNotContain(firstId.substring(1));
        assertThat(Http.admin(hub).get("/api/v1/schools/" + SCHOOL_1 + "/roster").json().getInteger("revision")).isEqualTo(revision);

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh"));
        Http.Response excused = Http.admin(hub).send("POST", "/api/v1/schools/" + SCHOOL_1 + "/attendance/excuses",
                new JsonObject().put("learner", firstId).put("date", today.toString()).put("session", "morning").encode());
        assertThat(excused.status()).as(excused.body()).isEqualTo(201);
        JsonObject withExcuse = awaitConfig(gw1, 3);
        assertThat(gw1.received()).hasSize(3); // the refused import sent nothing in between
        assertThat(withExcuse.getLong("version")).isGreaterThan(imported.getLong("version"));
        Map<String, Object> excuse = new HashMap<>(Map.of("learner", firstId, "date", today.toString(), "session", "morning"));
        excuse.put("period", null); // the whole session, as the contract writes it
        assertThat(withExcuse.getJsonObject("attendance").getJsonArray("excuses").getList()).containsExactly(excuse);
        assertThat(withExcuse.getJsonObject("attendance").getJsonArray("learners"))
                .isEqualTo(imported.getJsonObject("attendance").getJsonArray("learners"));

        Http.Response rotated = Http.admin(hub).send("POST", "/api/v1/schools/" + SCHOOL_1 + "/roster/card-key/rotate", "");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        JsonObject rekeyed = awaitConfig(gw1, 4).getJsonObject("attendance");
        assertThat(rekeyed.getJsonObject("cardKey").getString("id")).isEqualTo(rotated.json().getString("cardKey"))
                .isNotEqualTo(imported.getJsonObject("attendance").getJsonObject("cardKey").getString("id"));
        assertThatSectionIsTheFiles(rekeyed, csvRows("school-01", "learners.csv"), csvRows("school-01", "cards.csv"));
        Set<String> oldHashes = new HashSet<>(allHashes(imported.getJsonObject("attendance")));
        assertThat(allHashes(rekeyed)).hasSize(oldHashes.size()).doesNotContainAnyElementsOf(oldHashes);
    }

    private void startHub(Vertx vertx) throws Exception {
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base
                .withGateways(List.of(new GatewayConfig("gw-school-01", SCHOOL_1, null, "s3cret-school-01", null),
                        new GatewayConfig("gw-school-02", SCHOOL_2, null, "s3cret-school-02", null)))
                .withRegistry(new RegistryConfig(Inventories.example().toString(), "")));
    }

    private TestGateway gateway(String school, String id, String secret) throws Exception {
        TestGateway g = TestGateway.connect(hub.mqttPort(), school, id, secret);
        gateways.add(g);
        assertThat(g.subscribe(UplinkTopics.config(school, id), 1)).containsExactly(1);
        return g;
    }

    /** The {@code n}-th configuration the gateway received (1-based), once it is there. */
    private static JsonObject awaitConfig(TestGateway g, int n) throws Exception {
        return new JsonObject(g.awaitReceived(n, WAIT).payload());
    }

    private HttpResponse<String> put(String school, String format, byte[] zip) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/v1/schools/" + school + "/roster?format=" + format))
                .header("Content-Type", "application/zip").header("Authorization", "Bearer " + TestAuth.adminToken(hub))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(zip)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The section's learners are the file's (ids and classes), each with the hashes of its active cards under the
     * sent key, and revokedCards the hashes of the revoked ones.
     */
    private static void assertThatSectionIsTheFiles(JsonObject att, List<Map<String, String>> learners, List<Map<String, String>> cards) {
        byte[] key = Base64.getDecoder().decode(att.getJsonObject("cardKey").getString("secret").substring("base64:".length()));
        assertThat(key).hasSize(32);
        Map<String, String> classOf = new TreeMap<>();
        learners.forEach(l -> classOf.put(l.get("learner_id"), l.get("class")));
        Map<String, Set<String>> expectedCards = new HashMap<>();
        Set<String> expectedRevoked = new HashSet<>();
        for (Map<String, String> c : cards) {
            String hash = CardHash.of(key, c.get("uid"));
            if (c.get("status").equals("revoked")) {
                expectedRevoked.add(hash);
            } else {
                expectedCards.computeIfAbsent(c.get("learner_id"), k -> new HashSet<>()).add(hash);
            }
        }
        Map<String, String> sentClass = new TreeMap<>();
        for (Object o : att.getJsonArray("learners")) {
            JsonObject l = (JsonObject) o;
            sentClass.put(l.getString("id"), l.getString("class"));
            assertThat(new HashSet<>(l.getJsonArray("cards").getList())).as("cards of a learner")
                    .isEqualTo(expectedCards.getOrDefault(l.getString("id"), Set.of()));
            assertThat(l.fieldNames()).doesNotContain("name");
        }
        assertThat(sentClass).isEqualTo(classOf);
        assertThat(new HashSet<>(att.getJsonArray("revokedCards").getList())).isEqualTo(expectedRevoked);
        for (Map<String, String> c : cards) {
            assertThat(att.encode()).doesNotContain(c.get("uid"));
        }
    }

    private static Set<String> learnerIds(JsonObject att) {
        Set<String> ids = new HashSet<>();
        att.getJsonArray("learners").forEach(o -> ids.add(((JsonObject) o).getString("id")));
        return ids;
    }

    private static List<String> allHashes(JsonObject att) {
        List<String> out = new ArrayList<>();
        att.getJsonArray("learners").forEach(o -> ((JsonObject) o).getJsonArray("cards").forEach(h -> out.add((String) h)));
        ((JsonArray) att.getValue("revokedCards")).forEach(h -> out.add((String) h));
        return out;
    }

    private static List<Map<String, String>> csvRows(String set, String file) throws Exception {
        byte[] bytes = java.nio.file.Files.readAllBytes(RosterExamples.dir(set).resolve(file));
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            return it.readAll();
        }
    }

    private static List<String> column(List<Map<String, String>> rows, String column) {
        return rows.stream().map(r -> r.get(column)).toList();
    }
}

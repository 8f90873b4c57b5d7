package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.hub.testsupport.Batches.T0;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.inventory.InventoryReader;
import org.smartschool.hub.registry.Registry;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Inventories;
import org.smartschool.hub.testsupport.TestGateway;

/** The registry API over HTTP, on a hub that loaded the example inventory into its SQLite state database. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryApiTest {
    private static final String S1 = "/api/v1/registry/schools/school-01";

    @TempDir
    Path dir;
    private Hub hub;
    private Http http;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    private void start(Vertx vertx, String apiToken) throws Exception {
        HubConfig config = HubFixture.config(dir)
                .withRegistry(new RegistryConfig(Inventories.example().toString(), apiToken));
        hub = HubFixture.start(vertx, config);
        http = Http.admin(hub);
    }

    /** Verifies that the schools of the inventory are listed with their place and counts, and one school with its buildings. */
    @Test
    void listsSchoolsAndGetsOneWithBuildingsAndRooms(Vertx vertx) throws Exception {
        start(vertx, "");

        JsonArray schools = http.get("/api/v1/registry/schools").json().getJsonArray("schools");
        assertThat(schools).hasSize(3);
        JsonObject first = schools.getJsonObject(0);
        assertThat(first.getString("id")).isEqualTo("school-01");
        assertThat(first.getString("name")).isEqualTo("THCS Nguyễn Du");
        assertThat(first.getString("timeZone")).isEqualTo("Asia/Ho_Chi_Minh");
        assertThat(first.getJsonObject("location").getDouble("latitude")).isEqualTo(10.7867);
        assertThat(first.getInteger("roomCount")).isEqualTo(15);
        assertThat(first.getJsonArray("gateways").getJsonObject(0).getString("id")).isEqualTo("gw-school-01");

        JsonObject school = http.get(S1).json();
        assertThat(school.getJsonArray("buildings")).extracting(b -> ((JsonObject) b).getString("id"))
                .containsExactly("bldg-1", "bldg-2", "khuon-vien");
        JsonArray rooms = http.get(S1 + "/rooms?kind=lab").json().getJsonArray("rooms");
        assertThat(rooms).hasSize(1);
        assertThat(rooms.getJsonObject(0).getMap()).containsEntry("id", "lab").containsEntry("building", "bldg-2")
                .containsEntry("kind", "lab").containsEntry("capacity", 45).containsEntry("equipmentCount", 5);
        assertThat(http.get(S1 + "/buildings").json().getJsonArray("buildings").getJsonObject(0)
                .getJsonArray("rooms")).hasSize(9);
    }

    /** Verifies that a room is served with its equipment and an equipment record with its maintenance log. */
    @Test
    void servesRoomEquipmentAndMaintenanceLog(Vertx vertx) throws Exception {
        start(vertx, "");

        JsonObject room = http.get(S1 + "/rooms/r101").json();
        assertThat(room.getString("name")).isEqualTo("Lớp 6A1");
        assertThat(room.getJsonArray("equipment")).extracting(e -> ((JsonObject) e).getString("id"))
                .containsExactly("r101-air", "r101-cam", "r101-door", "r101-env", "r101-projector");

        JsonObject air = http.get(S1 + "/equipment/r101-air").json();
        assertThat(air.getString("room")).isEqualTo("r101");
        assertThat(air.getString("type")).isEqualTo("air-quality-sensor");
        assertThat(air.getString("warrantyEnd")).isEqualTo("2026-08-12");
        JsonArray log = http.get(S1 + "/equipment/r101-air/maintenance").json().getJsonArray("maintenance");
        assertThat(log).extracting(m -> ((JsonObject) m).getString("kind")).containsExactly("calibration", "battery");

        JsonArray faulty = http.get("/api/v1/registry/schools/school-03/equipment?status=faulty").json().getJsonArray("equipment");
        assertThat(faulty).extracting(e -> ((JsonObject) e).getString("id")).containsExactly("r106-air");
        assertThat(http.get(S1 + "/equipment?room=lab").json().getJsonArray("equipment")).hasSize(5);
    }

    /** Verifies that unknown schools, rooms and equipment are 404 and bad parameters 400 naming the parameter. */
    @Test
    void unknownIs404AndBadParameterIs400NamingIt(Vertx vertx) throws Exception {
        start(vertx, "");

        assertError(http.get("/api/v1/registry/schools/school-99"), 404, "no school 'school-99'", null);
        assertError(http.get(S1 + "/rooms/r999"), 404, "school 'school-01' has no room 'r999'", null);
        assertError(http.get(S1 + "/equipment/nothing/maintenance"), 404, "school 'school-01' has no equipment 'nothing'", null);
        assertError(http.get(S1 + "/rooms?kind=gym"), 400, null, "kind");
        assertError(http.get(S1 + "/equipment?status=broken"), 400, null, "status");
        assertError(http.get("/api/v1/registry/schools/bad%20id"), 400, null, "school");
        assertError(http.send("PUT", S1 + "/rooms/r120", "{\"building\":\"bldg-1\",\"kind\":\"classroom\",\"capacity\":-1}"),
                400, "capacity must be 0-5000: -1", "capacity");
        assertError(http.send("PUT", S1 + "/rooms/r120", "{\"building\":\"bldg-1\",\"kind\":\"pool\"}"), 400, null, "kind");
        assertError(http.send("PUT", S1 + "/rooms/r120", "{\"kind\":\"classroom\"}"), 400,
                "building is required for a new room", "building");
        assertError(http.send("PUT", S1 + "/rooms/r120", "not json"), 400, null, "body");
        assertError(http.send("PUT", S1 + "/rooms/r120", "{\"id\":\"r121\",\"building\":\"bldg-1\",\"kind\":\"lab\"}"), 400, null, "id");
        assertError(http.send("PUT", S1 + "/rooms/r120", "{\"building\":\"bldg-9\",\"kind\":\"lab\"}"), 404,
                "school 'school-01' has no building 'bldg-9'", null);
        assertError(http.send("POST", S1 + "/equipment/r101-air/maintenance", "{\"date\":\"2025-13-01\",\"kind\":\"repair\"}"),
                400, null, "date");
    }

    /** Verifies that rooms and equipment are created, changed and deleted, and that a room with equipment stays. */
    @Test
    void createsUpdatesAndDeletesRoomsAndEquipment(Vertx vertx) throws Exception {
        start(vertx, "");

        Http.Response created = http.send("PUT", S1 + "/rooms/r201",
                "{\"building\":\"bldg-2\",\"name\":\"Phòng Âm nhạc\",\"kind\":\"classroom\",\"floor\":2,\"capacity\":35}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().getString("change")).isEqualTo("created");
        Http.Response updated = http.send("PUT", S1 + "/rooms/r201", "{\"name\":\"Phòng Âm nhạc\",\"kind\":\"classroom\",\"floor\":2,\"capacity\":30}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(http.get(S1 + "/rooms/r201").json().getMap()).containsEntry("capacity", 30).containsEntry("building", "bldg-2");

        Http.Response piano = http.send("PUT", S1 + "/equipment/r201-piano",
                "{\"room\":\"r201\",\"type\":\"piano\",\"model\":\"Yamaha P-145\",\"installed\":\"2025-09-01\",\"status\":\"in-service\"}");
        assertThat(piano.status()).isEqualTo(201);
        Http.Response entry = http.send("POST", S1 + "/equipment/r201-piano/maintenance",
                "{\"date\":\"2025-11-03\",\"kind\":\"inspection\",\"by\":\"Thầy Minh\",\"note\":\"Lên dây\"}");
        assertThat(entry.status()).isEqualTo(201);
        assertThat(entry.json().getJsonArray("maintenance")).hasSize(1);
        assertThat(http.get(S1 + "/equipment/r201-piano").json().getJsonArray("maintenance").getJsonObject(0).getString("by"))
                .isEqualTo("Thầy Minh");

        assertError(http.send("DELETE", S1 + "/rooms/r201", null), 409,
                "room 'r201' still holds 1 pieces of equipment: move or delete them first", null);
        assertThat(http.send("DELETE", S1 + "/equipment/r201-piano", null).status()).isEqualTo(204);
        assertThat(http.send("DELETE", S1 + "/rooms/r201", null).status()).isEqualTo(204);
        assertThat(http.get(S1 + "/rooms/r201").status()).isEqualTo(404);
        assertThat(http.send("DELETE", S1 + "/rooms/r201", null).status()).isEqualTo(404);
    }

    /** Verifies that the export is YAML that reads back to the registry, including changes made through the API. */
    @Test
    void exportsYamlThatLoadsToTheSameRegistry(Vertx vertx) throws Exception {
        start(vertx, "");
        http.send("PUT", S1 + "/rooms/r201", "{\"building\":\"bldg-2\",\"kind\":\"classroom\",\"capacity\":35}");

        Http.Response export = http.get("/api/v1/registry/export");

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/yaml");
        Registry exported = InventoryReader.read("export", export.body().getBytes(StandardCharsets.UTF_8));
        Registry example = InventoryReader.read(Inventories.example());
        assertThat(exported.schools()).hasSize(3);
        assertThat(exported.school("school-01").orElseThrow().room("r201")).isPresent();
        assertThat(exported.school("school-02")).isEqualTo(example.school("school-02"));

        // and a hub started on the export alone holds the same registry
        Path file = dir.resolve("exported.yaml");
        Files.writeString(file, export.body());
        HubFixture.await(hub.close());
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        hub = HubFixture.start(vertx, HubFixture.config(other).withRegistry(new RegistryConfig(file.toString(), "")));
        Http.Response again = Http.admin(hub).get("/api/v1/registry/export");
        assertThat(InventoryReader.read("again", again.body().getBytes(StandardCharsets.UTF_8))).isEqualTo(exported);
    }

    /** Verifies that a registered gateway gets its secret once, connects with it, and that a new secret replaces it. */
    @Test
    void registeredGatewayConnectsWithTheSecretItWasGivenOnce(Vertx vertx) throws Exception {
        start(vertx, "");

        Http.Response registered = http.send("POST", "/api/v1/registry/schools/school-02/gateways",
                "{\"id\":\"gw-school-02\",\"name\":\"Pi 5, phòng máy\"}");
        assertThat(registered.status()).isEqualTo(200); // the inventory already lists it: it gets its first secret
        String secret = registered.json().getString("secret");
        assertThat(secret).hasSize(43);
        assertThat(http.get("/api/v1/registry/schools/school-02").body()).doesNotContain(secret);
        assertThat(http.get("/api/v1/registry/export").body()).doesNotContain(secret).doesNotContain("pbkdf2");

        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), "school-02", "gw-school-02", secret)) {
            assertThat(gateway.sendBatch(Batches.classroom("gw-school-02", "school-02", "gw-school-02-1", T0, 2)).reasonCode())
                    .isZero();
        }
        // the configured gateways of hub.yaml still connect
        try (TestGateway configured = TestGateway.connect(hub.mqttPort(), HubFixture.SCHOOL_1, HubFixture.GATEWAY_1,
                HubFixture.SECRET_1)) {
            assertThat(configured).isNotNull();
        }

        Http.Response rotated = http.send("POST", "/api/v1/registry/schools/school-02/gateways", "{\"id\":\"gw-school-02\"}");
        String newSecret = rotated.json().getString("secret");
        assertThat(newSecret).isNotEqualTo(secret);
        assertThatThrownBy(() -> TestGateway.connect(hub.mqttPort(), "school-02", "gw-school-02", secret))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        TestGateway.connect(hub.mqttPort(), "school-02", "gw-school-02", newSecret).close();

        Http.Response fresh = http.send("POST", "/api/v1/registry/schools/school-03/gateways", "{\"id\":\"gw-school-03-b\"}");
        assertThat(fresh.status()).isEqualTo(201);
        assertError(http.send("POST", "/api/v1/registry/schools/school-01/gateways", "{\"id\":\"gw-school-03-b\"}"), 409,
                "gateway 'gw-school-03-b' belongs to school 'school-03'", null);
        assertError(http.send("POST", "/api/v1/registry/schools/school-01/gateways", "{\"id\":\"" + HubFixture.GATEWAY_1 + "\"}"),
                409, null, null);
        assertError(http.send("POST", "/api/v1/registry/schools/school-01/gateways", "{\"name\":\"no id\"}"), 400, null, "id");
    }

    /** Verifies that the configured registry.apiToken still works as an admin credential, and that changes and reads need one. */
    @Test
    void changesNeedTheApiTokenWhenOneIsSet(Vertx vertx) throws Exception {
        String token = "registry-token-0123456789";
        start(vertx, token);
        String body = "{\"building\":\"bldg-2\",\"kind\":\"classroom\",\"capacity\":35}";
        Http anonymous = http.as(null);

        assertThat(anonymous.send("PUT", S1 + "/rooms/r201", body).status()).isEqualTo(401);
        assertThat(anonymous.send("PUT", S1 + "/rooms/r201", body, "Authorization", "Bearer wrong-token-0123456789").status())
                .isEqualTo(401);
        assertThat(anonymous.get(S1 + "/rooms/r201").status()).isEqualTo(401);
        assertThat(http.get(S1 + "/rooms/r201").status()).isEqualTo(404);
        assertThat(anonymous.send("PUT", S1 + "/rooms/r201", body, "Authorization", "Bearer " + token).status()).isEqualTo(201);
        assertThat(anonymous.send("GET", S1 + "/rooms/r201", null, "Authorization", "Bearer " + token).status()).isEqualTo(200);
    }

    private static void assertError(Http.Response response, int status, String message, String parameter) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        JsonObject body = response.json();
        assertThat(body.getString("error")).isNotBlank();
        if (message != null) {
            assertThat(body.getString("error")).isEqualTo(message);
        }
        if (parameter != null) {
            assertThat(body.getString("parameter")).isEqualTo(parameter);
        }
    }
}

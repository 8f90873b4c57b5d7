package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Inventories;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The query API takes its schools and rooms from the registry (the example inventory, as the demo loads it): a
 * registered school that has sent nothing is listed with status "no data" and its registered rooms; its rooms are
 * known to the readings API (200, empty) rather than 404.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class RegisteredPlacesApiTest {

    /** Verifies that registry schools and rooms appear before any data, and a reporting school turns "online". */
    @Test
    void registeredSchoolWithoutDataIsListedWithItsRoomsAndStatusNoData(Vertx vertx, @TempDir Path dir) throws Exception {
        HubConfig config = HubFixture.config(dir)
                .withGateways(List.of(new GatewayConfig("gw-school-01", "school-01", "s3cret-school-01")))
                .withRegistry(new RegistryConfig(Inventories.example().toString(), ""));
        Hub hub = HubFixture.start(vertx, config);
        try {
            Http http = Http.admin(hub);
            Map<String, JsonObject> schools = bySchool(http.get("/api/v1/schools").json().getJsonArray("schools"));
            assertThat(schools).containsKeys("school-01", "school-02", "school-03");
            JsonObject school2 = schools.get("school-02");
            assertThat(school2.getString("name")).isEqualTo("THPT Lê Quý Đôn");
            assertThat(school2.getJsonObject("summary").getString("status")).isEqualTo("no data");
            assertThat(school2.getJsonObject("summary").getInteger("rooms")).isGreaterThan(0);
            assertThat(school2.getJsonArray("rooms").getJsonObject(0).getJsonArray("latest")).isEmpty();

            Http.Response rooms = http.get("/api/v1/schools/school-02/rooms");
            assertThat(rooms.status()).isEqualTo(200);
            assertThat(rooms.json().getJsonArray("rooms").stream().map(r -> ((JsonObject) r).getString("room")).toList())
                    .contains("r101");
            Http.Response readings = http.get("/api/v1/readings?school=school-02&room=r101&quantity=co2");
            assertThat(readings.status()).isEqualTo(200);
            assertThat(readings.json().getJsonArray("readings")).isEmpty();
            assertThat(http.get("/api/v1/readings?school=school-02&room=nowhere&quantity=co2").status()).isEqualTo(404);

            try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), "school-01", "gw-school-01", "s3cret-school-01")) {
                long now = System.currentTimeMillis();
                Batch batch = new Batch("gw-school-01-1", "gw-school-01", "school-01",
                        List.of(Reading.of(new DeviceRef("school-01", "r101", "r101-air"), Quantity.CO2, 640, now)), List.of());
                assertThat(gateway.sendBatch(batch).reasonCode()).isZero();
                JsonObject school1 = bySchool(http.get("/api/v1/schools").json().getJsonArray("schools")).get("school-01");
                assertThat(school1.getJsonObject("summary").getString("status")).isEqualTo("online");
                assertThat(bySchool(http.get("/api/v1/schools").json().getJsonArray("schools")).get("school-02")
                        .getJsonObject("summary").getString("status")).isEqualTo("no data");
            }
        } finally {
            HubFixture.await(hub.close());
        }
    }

    private static Map<String, JsonObject> bySchool(JsonArray schools) {
        Map<String, JsonObject> out = new java.util.TreeMap<>();
        schools.forEach(s -> out.put(((JsonObject) s).getString("school"), (JsonObject) s));
        return out;
    }
}

package org.smartschool.hub.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Inventories;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The desired configuration a real MQTT 5 gateway gets on its config topic carries its school's room
 * kinds from the registry (the example inventory), hub.yaml's own winning room by room, and a newer
 * version of it when a room's kind changes through the registry API while the gateway is connected.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DesiredConfigRoomKindsTest {
    private static final String SCHOOL = "school-01";
    private static final String GATEWAY = "gw-school-01";
    private static final String SECRET = "s3cret-school-01";
    /** A little over the hub's registry refresh period (Hub.DESIRED_CONFIG_REFRESH_MS, 10 s). */
    private static final Duration REFRESH = Duration.ofSeconds(12);

    @TempDir
    Path dir;

    private Hub hub;
    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    /**
     * Verifies that the configuration sent on subscribing has rules.roomKinds with every room of the
     * school as the registry API lists it, hub.yaml's entry for one room instead of the registry's,
     * hub.yaml's other keys, and a version above hub.yaml's; and that changing a room's kind through the
     * API sends the subscribed gateway the new kinds under a higher version, once.
     */
    @Test
    void sendsTheSchoolsRoomKindsAndANewVersionWhenOneChanges(Vertx vertx) throws Exception {
        HubConfig base = HubFixture.config(dir);
        Map<String, Object> configured = Map.of("version", 3, "healthIntervalSeconds", 60,
                "rules", Map.of("roomKinds", Map.of("thu-vien", "classroom")));
        hub = HubFixture.start(vertx, base
                .withGateways(List.of(new GatewayConfig(GATEWAY, SCHOOL, null, SECRET, configured), base.gateways().get(1)))
                .withRegistry(new RegistryConfig(Inventories.example().toString(), "")));
        Http http = Http.admin(hub);
        Map<String, String> expected = registryKinds(http);
        assertThat(expected).containsEntry("r101", "classroom").containsEntry("lab", "lab")
                .containsEntry("bldg-1", "technical").containsEntry("thu-vien", "library").hasSizeGreaterThan(10);
        expected.put("thu-vien", "classroom"); // hub.yaml wins for the room it names

        gateway = TestGateway.connect(hub.mqttPort(), SCHOOL, GATEWAY, SECRET);
        long before = System.currentTimeMillis() / 1000;
        assertThat(gateway.subscribe(UplinkTopics.config(SCHOOL, GATEWAY), 1)).containsExactly(1);
        Poll.until(Duration.ofSeconds(10), "the desired configuration", () -> !gateway.received().isEmpty());
        TestGateway.Received first = gateway.received().get(0);
        assertThat(first.qos()).isEqualTo(1);
        JsonObject config = new JsonObject(first.payload());
        long version = config.getLong("version");
        // the time the hub first saw these kinds (its start), in epoch seconds: far above hub.yaml's 3
        assertThat(version).isBetween(before - 60, before + 1);
        assertThat(config.getInteger("healthIntervalSeconds")).isEqualTo(60);
        assertThat(config.getJsonObject("rules").getJsonObject("roomKinds").getMap()).isEqualTo(Map.copyOf(expected));

        assertThat(http.send("PUT", "/api/v1/registry/schools/" + SCHOOL + "/rooms/r108",
                "{\"name\":\"Phòng thí nghiệm Sinh\",\"kind\":\"lab\",\"floor\":2,\"capacity\":40}").status()).isEqualTo(200);
        expected.put("r108", "lab");
        Poll.until(REFRESH.plusSeconds(10), "the desired configuration with r108 a lab", () -> gateway.received().size() >= 2);
        JsonObject changed = new JsonObject(gateway.received().get(1).payload());
        assertThat(changed.getLong("version")).isGreaterThan(version);
        assertThat(changed.getJsonObject("rules").getJsonObject("roomKinds").getMap()).isEqualTo(Map.copyOf(expected));
        assertThat(changed.getInteger("healthIntervalSeconds")).isEqualTo(60);

        // nothing changed since: the next refresh sends nothing (two more rounds: what the first would have sent,
        // published before the second began 10 s later, has arrived by then)
        long rounds = hub.desiredConfigRounds();
        Poll.until(REFRESH.multipliedBy(2).plusSeconds(10), "two more rounds of the registry refresh",
                () -> hub.desiredConfigRounds() >= rounds + 2);
        assertThat(gateway.received()).hasSize(2);
    }

    /** Room id -> kind of every room of the school, as the registry API lists them. */
    private static Map<String, String> registryKinds(Http http) throws Exception {
        Map<String, String> kinds = new TreeMap<>();
        for (Object r : http.get("/api/v1/registry/schools/" + SCHOOL + "/rooms").json().getJsonArray("rooms")) {
            JsonObject room = (JsonObject) r;
            kinds.put(room.getString("id"), room.getString("kind"));
        }
        return kinds;
    }
}

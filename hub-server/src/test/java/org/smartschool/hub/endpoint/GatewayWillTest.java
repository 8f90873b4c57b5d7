package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.vertx.core.Vertx;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;

/**
 * Verifies the will of docs/protocol.md 3.1: a gateway whose connection ends without DISCONNECT is
 * recorded as offline through the will in its CONNECT; one that disconnects cleanly is not.
 */
@Timeout(60)
class GatewayWillTest {
    private static final String HEALTH = UplinkTopics.health(SCHOOL_1, GATEWAY_1);

    @TempDir
    Path dir;
    private Vertx vertx;
    private Hub hub;
    private HubConfig config;

    @BeforeEach
    void startHub() throws Exception {
        vertx = Vertx.vertx();
        config = HubFixture.config(dir);
        hub = HubFixture.start(vertx, config);
    }

    @AfterEach
    void stop() throws Exception {
        HubFixture.await(hub.close());
        HubFixture.await(vertx.close());
    }

    @Test
    void aLostConnectionRecordsTheWillAndACleanDisconnectDoesNot() throws Exception {
        Http http = Http.admin(hub);
        // 1: reports it is online, then stops cleanly: its will must not be recorded
        MqttAsyncClient clean = connect("{\"gateway\":\"" + GATEWAY_1 + "\",\"online\":false,\"n\":1}");
        clean.publish(HEALTH, "{\"online\":true,\"n\":0}".getBytes(StandardCharsets.UTF_8), 0, false).waitForCompletion(5_000);
        await("the report recorded", () -> lastHealth().filter(h -> h.contains("\"n\":0")).isPresent());
        clean.disconnect().waitForCompletion(5_000);
        clean.close();

        // 2: the link is cut (no DISCONNECT): the will is recorded, the gateway shows offline
        MqttAsyncClient cut = connect("{\"gateway\":\"" + GATEWAY_1 + "\",\"online\":false,\"n\":2}");
        cut.disconnectForcibly(0, 1_000, false);
        cut.close();

        await("the will of the cut connection recorded", () -> lastHealth().filter(h -> h.contains("\"n\":2")).isPresent());
        assertThat(lastHealth().orElseThrow()).contains("\"online\":false");
        // the report and the second will: the first will was never recorded
        assertThat(http.metric("hub_health_reports_total")).isEqualTo(2.0);
    }

    private MqttAsyncClient connect(String will) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + hub.mqttPort(), GATEWAY_1, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(GATEWAY_1);
        options.setPassword(SECRET_1.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        MqttMessage message = new MqttMessage(will.getBytes(StandardCharsets.UTF_8));
        message.setQos(0);
        options.setWill(HEALTH, message);
        client.connect(options).waitForCompletion(5_000);
        return client;
    }

    private Optional<String> lastHealth() {
        try (HubStore store = HubFixture.openStore(config)) {
            List<GatewayStatus> statuses = store.gatewayStatuses();
            return statuses.stream().filter(s -> s.gateway().equals(GATEWAY_1)).map(GatewayStatus::lastHealth)
                    .filter(h -> h != null).findFirst();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}

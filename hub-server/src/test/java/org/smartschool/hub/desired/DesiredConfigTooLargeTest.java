package org.smartschool.hub.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
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
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.roster.RosterExamples;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.GeneratedRoster;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * A desired configuration larger than the packets a gateway may be sent (a big school's roster) is not sent: sent, it
 * made a real MQTT 5 gateway (Paho) drop the connection on reading it, reconnect, subscribe and get it again without
 * end. The hub counts it, records a fleet event saying why, and the gateway stays connected with its old configuration.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DesiredConfigTooLargeTest {
    private static final String SCHOOL = "school-big";
    private static final String GATEWAY = "gw-school-big";
    private static final String SECRET = "s3cret-school-big";
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The smallest batch limit: packets of at most 2 x 1024 + 64 KiB = 67,584 bytes. */
    private static final int MAX_MESSAGE_BYTES = 1024;
    private static final String TOO_LARGE = "hub_desired_config_too_large_total{gateway=\"" + GATEWAY + "\"}";

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
     * Verifies that a gateway that got its first (small) configuration is not sent the one with a roster of 2,000
     * learners (about 200 KB, over the 67,584-byte limit): the counter is 1, a {@code desired_config_too_large} fleet
     * event names both sizes, and the gateway is still connected and its next batch acknowledged; that on reconnecting
     * it again gets nothing, the counter 2; and that nothing else was refused meanwhile.
     */
    @Test
    void aConfigurationOverThePacketLimitIsNotSentAndTheGatewayStaysConnected(Vertx vertx) throws Exception {
        GeneratedRoster roster = GeneratedRoster.of(SCHOOL, 2_000, 30, LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh")), 0);
        Path inventory = GeneratedRoster.writeInventory(dir.resolve("inventory.yaml"),
                List.of(roster.registered("Trường lớn", GATEWAY)));
        HubConfig base = HubFixture.config(dir);
        hub = HubFixture.start(vertx, base.withMqtt(new MqttConfig("127.0.0.1", 0, MAX_MESSAGE_BYTES))
                .withGateways(List.of(new GatewayConfig(GATEWAY, SCHOOL, SECRET)))
                .withRegistry(new RegistryConfig(inventory.toString(), "")));
        Http http = Http.admin(hub);

        TestGateway first = gateway();
        JsonObject config = new JsonObject(first.awaitReceived(1, WAIT).payload());
        assertThat(config.containsKey("attendance")).isFalse();
        assertThat(http.metric(TOO_LARGE)).as("no such counter before the first refusal").isNaN();

        Http.Response imported = http.sendBytes("PUT", "/api/v1/schools/" + SCHOOL + "/roster?format=csv",
                RosterExamples.zip(roster.csvFiles()), "application/zip");
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        Poll.until(WAIT, "the roster's configuration refused", () -> http.metric(TOO_LARGE) >= 1);

        // the event is written by a store worker after the counter moved: waited for, not read at once
        Poll.until(WAIT, "the fleet event", () -> tooLargeEvents(http).size() == 1);
        JsonArray events = tooLargeEvents(http);
        assertThat(events).hasSize(1);
        String detail = events.getJsonObject(0).getString("detail");
        assertThat(detail).contains("over the Maximum Packet Size of 67584 bytes");
        long packet = Long.parseLong(detail.replaceAll(".*configuration of (\\d+) bytes.*", "$1"));
        assertThat(packet).isGreaterThan(150_000);
        assertStillConnected(first, "b-1");
        assertThat(first.received()).hasSize(1);
        assertThat(http.metric(TOO_LARGE)).as("refused once, not in a loop").isEqualTo(1.0);

        first.close();
        gateways.remove(first);
        TestGateway again = gateway();
        Poll.until(WAIT, "the configuration refused again on subscribing", () -> http.metric(TOO_LARGE) >= 2);
        assertStillConnected(again, "b-2");
        assertThat(again.received()).isEmpty();
        assertThat(http.metric(TOO_LARGE)).isEqualTo(2.0);
    }

    private static JsonArray tooLargeEvents(Http http) throws Exception {
        return http.get("/api/v1/fleet/events?gateway=" + GATEWAY + "&type=desired_config_too_large").json()
                .getJsonArray("events");
    }

    /** The connection holds: a batch gets PUBACK 0 (the hub reads what the gateway sends) and no DISCONNECT came. */
    private void assertStillConnected(TestGateway g, String batchId) throws Exception {
        TestGateway.Ack ack = g.sendBatch(Batches.classroom(GATEWAY, SCHOOL, batchId, System.currentTimeMillis(), 3));
        assertThat(ack.reasonCode()).as(ack.reasonString()).isZero();
        assertThat(g.disconnectReason()).isNull();
    }

    private TestGateway gateway() throws Exception {
        TestGateway g = TestGateway.connect(hub.mqttPort(), SCHOOL, GATEWAY, SECRET);
        gateways.add(g);
        assertThat(g.subscribe(UplinkTopics.config(SCHOOL, GATEWAY), 1)).containsExactly(1);
        return g;
    }
}

package org.smartschool.gateway.south;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * The south side of the reconnect policy: the school's broker (a real Mosquitto behind a
 * {@link TcpProxy}) is unreachable long enough for an uncapped doubling to wait 8-16 s; once it is
 * back, the gateway is subscribed again within {@code south.retryMaxMillis} plus a margin, and a
 * message published during the outage (queued by the broker in the gateway's session) arrives.
 */
@Timeout(60)
class SouthReconnectTest {
    private static final long RETRY_MAX_MILLIS = 1_000;
    private static final long MARGIN_MILLIS = 1_500;

    @TempDir
    Path dir;
    private TcpProxy link;
    private Gateway gateway;
    private String broker;
    private GatewayConfig config;

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        if (link != null) {
            link.close();
        }
        if (config != null) {
            BrokerClients.forgetSession(broker, config.southClientId());
        }
    }

    @Test
    void resubscribesWithinTheCapAfterTheBrokerComesBackAndGetsWhatWasQueued() throws Exception {
        broker = TestBroker.mqttUrl();
        link = new TcpProxy(broker).up();
        String run = UUID.randomUUID().toString().substring(0, 8);
        config = new GatewayConfig("gw-" + run, "school-" + run,
                GatewayConfig.SouthSettings.defaults().withUrl(link.url())
                        .withRoutes(List.of(new TopicRoute("sr-" + run + "/{room}/{device}", TestJsonCodec.NAME)))
                        .withRetry(100, RETRY_MAX_MILLIS),
                new GatewayConfig.NorthSettings("tcp://127.0.0.1:1", "secret"), // no hub: records stay in the outbox
                new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 1_000, 10),
                new GatewayConfig.UplinkSettings(100, 50, 100, 1_000, 60_000, 2_000));
        gateway = Gateway.start(config, new CodecRegistry(List.of(new TestJsonCodec())));
        Poll.until(Duration.ofSeconds(15), "south connected", () -> gateway.status().southConnected());
        BrokerClients.publish(broker, "sr-" + run + "/r1/d1", "{\"co2\":500}", 1);
        Poll.until(Duration.ofSeconds(15), "the first message in the outbox", () -> gateway.outbox().size() == 1);

        link.down();
        Poll.until(Duration.ofSeconds(10), "the gateway notices the loss", () -> !gateway.status().southConnected());
        BrokerClients.publish(broker, "sr-" + run + "/r1/d1", "{\"co2\":501}", 1); // queued in the session
        Thread.sleep(8_000); // the outage
        assertThat(gateway.outbox().size()).isEqualTo(1);

        link.up();
        long backAt = System.nanoTime();
        Poll.until(Duration.ofMillis(RETRY_MAX_MILLIS + MARGIN_MILLIS), "connected again within the cap",
                () -> gateway.status().southConnected());
        long tookMillis = (System.nanoTime() - backAt) / 1_000_000;
        System.out.println("[reconnect] south connected again " + tookMillis + " ms after the broker came back (cap "
                + RETRY_MAX_MILLIS + " ms)");
        Poll.until(Duration.ofSeconds(10), "the message queued during the outage in the outbox",
                () -> gateway.outbox().size() == 2);
        assertThat(gateway.outbox().peek(10).readings()).extracting(r -> r.value()).containsExactly(500.0, 501.0);
    }
}

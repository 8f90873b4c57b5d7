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
 * A connection attempt whose CONNACK never comes (the school broker's link stalls right after the
 * CONNECT) is given up after the connect timeout and tried again, instead of hanging until Paho's
 * keep-alive (30 s) notices: seen once in CI as a 30 s gap before a redelivery.
 */
@Timeout(60)
class SouthStalledConnectTest {
    /** Under the 30 s keep-alive, over the 10 s connect timeout plus the capped backoff. */
    private static final Duration RECOVERY = Duration.ofSeconds(22);

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
    void aConnectWhoseConnackNeverComesIsAbandonedAndRetried() throws Exception {
        broker = TestBroker.mqttUrl();
        link = new TcpProxy(broker).up();
        link.swallowRepliesOfNext(1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        config = new GatewayConfig("gw-" + run, "school-" + run,
                GatewayConfig.SouthSettings.defaults().withUrl(link.url())
                        .withRoutes(List.of(new TopicRoute("ss-" + run + "/{room}/{device}", TestJsonCodec.NAME)))
                        .withRetry(100, 1_000),
                new GatewayConfig.NorthSettings("tcp://127.0.0.1:1", "secret"), // no hub: records stay in the outbox
                new GatewayConfig.OutboxSettings(dir.resolve("outbox.db").toString(), 1_000, 10),
                new GatewayConfig.UplinkSettings(100, 50, 100, 1_000, 60_000, 2_000));
        long start = System.nanoTime();
        gateway = Gateway.start(config, new CodecRegistry(List.of(new TestJsonCodec())));
        Poll.until(Duration.ofSeconds(5), "the first CONNECT reaches the stalled link", () -> link.accepted() >= 1);
        assertThat(gateway.status().southConnected()).as("no CONNACK came through the stalled connection").isFalse();

        Poll.until(RECOVERY, "connected through a second connection", () -> gateway.status().southConnected());
        assertThat(link.accepted()).isGreaterThanOrEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(RECOVERY);
        BrokerClients.publish(broker, "ss-" + run + "/r1/d1", "{\"co2\":500}", 1);
        Poll.until(Duration.ofSeconds(15), "a message arrives over the new connection", () -> gateway.outbox().size() == 1);
    }
}

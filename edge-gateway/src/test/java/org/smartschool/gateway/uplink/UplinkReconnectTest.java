package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.testsupport.TcpProxy;

/**
 * The fault "Reconnect ignores its cap": with {@code uplink.retryMaxMillis: 10000} a gateway
 * came back 70 s after the hub (Paho's own uncapped doubling). Here the hub is unreachable long
 * enough for that doubling to reach 8-16 s, then comes back: the gateway must be connected again
 * within the cap plus a margin for the connection itself.
 */
@Timeout(60)
class UplinkReconnectTest {
    private static final long RETRY_MAX_MILLIS = 1_000;
    private static final long MARGIN_MILLIS = 1_500;

    @TempDir
    Path dir;
    private StubHub hub;
    private TcpProxy link;
    private Outbox outbox;
    private Uplink uplink;

    @AfterEach
    void tearDown() throws Exception {
        if (uplink != null) {
            uplink.close();
        }
        if (outbox != null) {
            outbox.close();
        }
        if (link != null) {
            link.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void reconnectsWithinTheCapAfterTheHubComesBack() throws Exception {
        hub = new StubHub();
        link = new TcpProxy(hub.url()).up();
        outbox = Outbox.open(dir.resolve("outbox.db"), 1_000, 10);
        GatewayConfig config = new GatewayConfig("gw-1", "s1", GatewayConfig.SouthSettings.defaults(),
                new GatewayConfig.NorthSettings(link.url(), "secret"), GatewayConfig.OutboxSettings.defaults(),
                new GatewayConfig.UplinkSettings(100, 50, 100, RETRY_MAX_MILLIS, 60_000, 2_000));
        uplink = new Uplink(config, outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-1"), new BatchCodec(),
                new DesiredConfigStore(dir.resolve("desired.json")));
        uplink.start();
        Poll.until(Duration.ofSeconds(15), "first connection", () -> hub.connects().size() == 1 && uplink.isConnected());

        link.down();
        Poll.until(Duration.ofSeconds(10), "the uplink notices the loss", () -> !uplink.isConnected());
        Thread.sleep(8_000); // the outage: Paho's doubling would now wait 8-16 s between attempts
        assertThat(hub.connects()).hasSize(1);

        link.up();
        long backAt = System.nanoTime();
        Poll.until(Duration.ofMillis(RETRY_MAX_MILLIS + MARGIN_MILLIS), "reconnected within the cap after the hub came back",
                () -> hub.connects().size() == 2 && uplink.isConnected());
        long tookMillis = (System.nanoTime() - backAt) / 1_000_000;
        System.out.println("[reconnect] connected again " + tookMillis + " ms after the hub came back (cap "
                + RETRY_MAX_MILLIS + " ms)");
        assertThat(tookMillis).isLessThanOrEqualTo(RETRY_MAX_MILLIS + MARGIN_MILLIS);
    }

    /**
     * An attempt whose CONNACK never comes (the link stalls right after the CONNECT) is abandoned after
     * the 10 s connect timeout and tried again, not held until the 30 s keep-alive.
     */
    @Test
    void abandonsAConnectWhoseConnackNeverComes() throws Exception {
        hub = new StubHub();
        link = new TcpProxy(hub.url()).up();
        link.swallowRepliesOfNext(1);
        outbox = Outbox.open(dir.resolve("outbox.db"), 1_000, 10);
        GatewayConfig config = new GatewayConfig("gw-1", "s1", GatewayConfig.SouthSettings.defaults(),
                new GatewayConfig.NorthSettings(link.url(), "secret"), GatewayConfig.OutboxSettings.defaults(),
                new GatewayConfig.UplinkSettings(100, 50, 100, RETRY_MAX_MILLIS, 60_000, 2_000));
        long start = System.nanoTime();
        uplink = new Uplink(config, outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-1"), new BatchCodec(),
                new DesiredConfigStore(dir.resolve("desired.json")));
        uplink.start();
        Poll.until(Duration.ofSeconds(5), "the first CONNECT reaches the stalled link", () -> link.accepted() >= 1);
        assertThat(uplink.isConnected()).as("no CONNACK came through the stalled connection").isFalse();

        Duration recovery = Duration.ofSeconds(22); // over the 10 s timeout plus the backoff, under the keep-alive
        Poll.until(recovery, "connected through a second connection", () -> uplink.isConnected());
        assertThat(link.accepted()).isGreaterThanOrEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(recovery);
    }
}

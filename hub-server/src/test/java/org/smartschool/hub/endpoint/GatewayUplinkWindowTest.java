package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.Records;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.uplink.DesiredConfigStore;
import org.smartschool.gateway.uplink.Uplink;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;

/**
 * The gateway's uplink window (issue 6, Uplink) against the real hub: a full window of batches the
 * hub has stored but whose PUBACKs are lost with the link (held in a TCP forwarder, then the link cut).
 * The gateway resends the window on a new connection with the same batch ids, and the hub's replay
 * detection collapses them: every reading is stored once, each resent batch counts as a replay.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayUplinkWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int READINGS = 2_000;
    private static final int BATCH = 50;
    private static final int WINDOW = 8;

    @TempDir
    Path dir;

    private Hub hub;
    private TcpProxy link;
    private Outbox outbox;
    private Uplink uplink;

    @AfterEach
    void stop() throws Exception {
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
            HubFixture.await(hub.close());
        }
    }

    @Test
    void aFullWindowWhosePubacksAreLostIsResentAndTheHubStoresEveryReadingOnce(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Http http = Http.admin(hub);
        link = new TcpProxy("tcp://127.0.0.1:" + hub.mqttPort()).up();
        outbox = Outbox.open(dir.resolve("outbox.db"), 100_000, 100);
        // a row a reading (a device message each), so that batches of BATCH records can be cut anywhere
        outbox.appendFrames(Records.oneFrameEach(Records.co2(SCHOOL_1, "r101", READINGS), List.of()), true);
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), GATEWAY_1);
        GatewayConfig config = new GatewayConfig(GATEWAY_1, SCHOOL_1, GatewayConfig.SouthSettings.defaults(),
                new GatewayConfig.NorthSettings(link.url(), SECRET_1), GatewayConfig.OutboxSettings.defaults(),
                new GatewayConfig.UplinkSettings(BATCH, 50, 100, 1_000, 60_000, 30_000, WINDOW));
        uplink = new Uplink(config, outbox, metrics, new BatchCodec(), new DesiredConfigStore(dir.resolve("desired.json")));
        uplink.start();

        // the path is live: batches go and come back acknowledged
        Poll.until(WAIT, "three batches acknowledged", () -> metrics.batchesSent().count() >= 3);
        // now the hub's PUBACKs stay in the link: the hub goes on storing until the window is full
        link.holdReplies(true);
        Poll.until(WAIT, "a full window stored at the hub, its PUBACKs held", () -> uplink.healthReport().window()
                .batchesInFlight() == WINDOW && storedBatches(http) == metrics.batchesSent().count() + WINDOW);
        long acknowledged = (long) metrics.batchesSent().count();
        assertThat(outbox.size()).isEqualTo(READINGS - acknowledged * BATCH);
        assertThat(http.metric("hub_batches_replayed_total")).isZero();

        // the link is cut: the held PUBACKs are lost with it
        link.down();
        Poll.until(WAIT, "the uplink notices the cut", () -> !uplink.isConnected());
        link.holdReplies(false);
        link.up();

        // the uplink counts a batch as sent just after it removed it from the outbox: wait for both
        Poll.until(WAIT, "every reading delivered", () -> outbox.size() == 0
                && metrics.recordsSent().count() >= READINGS);
        assertThat(metrics.recordsSent().count()).isEqualTo(READINGS);
        assertThat(metrics.batchesSent().count()).isEqualTo(READINGS / BATCH);
        assertThat(metrics.batchRetries().count()).isEqualTo(WINDOW);
        // the hub stored each reading once: the window came again with the same batch ids, as replays
        assertThat(http.metric("hub_readings_stored_total")).isEqualTo(READINGS);
        assertThat(http.metric("hub_batches_stored_total")).isEqualTo(READINGS / BATCH);
        assertThat(http.metric("hub_batches_replayed_total")).isEqualTo(WINDOW);
        assertThat(http.metric("hub_batches_rejected_total{reason=\"receive_maximum_exceeded\"}")).isZero();
    }

    private static double storedBatches(Http http) {
        try {
            return http.metric("hub_batches_stored_total");
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}

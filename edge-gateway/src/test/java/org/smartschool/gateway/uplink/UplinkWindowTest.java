package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxBatch;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.Records;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * The uplink's window (issue 6, Uplink): several batches in flight, bounded by
 * {@code uplink.windowBatches} and the hub's Receive Maximum, PUBACKs in any order, a reconnect in
 * the middle of a full window, a 0x97 in the middle of one. Against {@link StubHub}, a real MQTT 5
 * server that holds PUBACKs back and releases them in the order a test says, stores batches by
 * batch id as the hub does and watches that no batch is published twice on one connection while
 * outstanding.
 */
@Timeout(60)
class UplinkWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SCHOOL = "thcs-le-loi";
    private static final String GATEWAY = "gw-w";

    @TempDir
    Path dir;
    private StubHub hub;
    private Outbox outbox;
    private GatewayMetrics metrics;
    private Uplink uplink;
    private final BatchCodec codec = new BatchCodec();

    @BeforeEach
    void setUp() throws Exception {
        hub = new StubHub();
        outbox = Outbox.open(dir.resolve("outbox.db"), 10_000, 100);
        metrics = new GatewayMetrics(new SimpleMeterRegistry(), GATEWAY);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (uplink != null) {
            uplink.close();
        }
        outbox.close();
        hub.close();
        assertThat(hub.sentTwiceWhileOutstanding()).as("batches published twice on one connection while outstanding")
                .isEmpty();
    }

    private void startUplink(int batchMaxRecords, int windowBatches) {
        GatewayConfig config = new GatewayConfig(GATEWAY, SCHOOL, GatewayConfig.SouthSettings.defaults(),
                new GatewayConfig.NorthSettings(hub.url(), "secret"), GatewayConfig.OutboxSettings.defaults(),
                new GatewayConfig.UplinkSettings(batchMaxRecords, 50, 100, 400, 60_000, 5_000, windowBatches));
        uplink = new Uplink(config, outbox, metrics, codec, new DesiredConfigStore(dir.resolve("desired.json")));
        uplink.start();
    }

    private List<Batch> batches(int connection) {
        List<Batch> out = new ArrayList<>();
        for (StubHub.Published p : hub.published()) {
            if (p.topic().equals(UplinkTopics.batch(SCHOOL, GATEWAY)) && (connection < 0 || p.connection() == connection)) {
                out.add(decode(p));
            }
        }
        return out;
    }

    private List<String> batchIds(int connection) {
        return batches(connection).stream().map(Batch::batchId).toList();
    }

    private Batch decode(StubHub.Published published) {
        try {
            return codec.decode(published.payload());
        } catch (Exception e) {
            throw new AssertionError("the gateway sent an undecodable frame", e);
        }
    }

    private List<Reading> readingsOf(List<Batch> batches) {
        List<Reading> out = new ArrayList<>();
        batches.forEach(b -> out.addAll(b.readings()));
        return out;
    }

    @Test
    void keepsExactlyWindowBatchesOutstandingAndPublishesNoneTwice() throws Exception {
        hub.holdAll(true);
        List<Reading> readings = Records.co2(SCHOOL, "r101", 60);
        outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true); // a row each: batches may end between any two

        startUplink(5, 4);

        Poll.until(WAIT, "four batches outstanding at the hub", () -> hub.outstanding(0).size() == 4);
        List<String> first = batchIds(0);
        assertThat(first).hasSize(4).doesNotHaveDuplicates();
        assertThat(hub.held()).extracting(StubHub.Held::batchId).containsExactlyElementsOf(first);
        // in outbox order: the first four batches of five records
        assertThat(readingsOf(batches(0))).containsExactlyElementsOf(readings.subList(0, 20));
        Poll.until(WAIT, "the health report shows the full window",
                () -> uplink.healthReport().window().equals(new HealthReport.Window(4, 4)));

        // one PUBACK frees one place in the window: exactly one more batch, the next in outbox order
        hub.release(first.get(0));
        Poll.until(WAIT, "a fifth batch, the window full again",
                () -> batchIds(0).size() == 5 && hub.outstanding(0).size() == 4);
        assertThat(readingsOf(batches(0).subList(4, 5))).containsExactlyElementsOf(readings.subList(20, 25));
        assertThat(outbox.size()).isEqualTo(55);
        assertThat(metrics.recordsSent().count()).isEqualTo(5);

        hub.holdAll(false);
        Poll.until(WAIT, "all 60 records sent", () -> metrics.recordsSent().count() == 60);
        assertThat(hub.maxOutstanding()).isEqualTo(4);
        assertThat(batchIds(-1)).hasSize(12).doesNotHaveDuplicates();
        assertThat(hub.storedReadings()).containsExactlyElementsOf(readings);
        assertThat(hub.replays()).isZero();
        assertThat(outbox.size()).isZero();
        assertThat(metrics.batchesSent().count()).isEqualTo(12);
        assertThat(metrics.batchRetries().count()).isZero();
        Poll.until(WAIT, "the health report shows the window empty",
                () -> uplink.healthReport().window().equals(new HealthReport.Window(4, 0)));
        assertThat(new String(uplink.healthReport().toJson())).contains("\"uplink\":{\"windowBatches\":4,\"batchesInFlight\":0}");
    }

    @Test
    void theWindowNeverExceedsTheHubsReceiveMaximum() throws Exception {
        hub.receiveMaximum(2).holdAll(true);
        List<Reading> readings = Records.co2(SCHOOL, "r101", 30);
        outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true); // a row each: batches may end between any two

        startUplink(5, 8);

        Poll.until(WAIT, "two batches outstanding", () -> hub.outstanding(0).size() == 2);
        Poll.until(WAIT, "the health report shows the window lowered to the hub's Receive Maximum",
                () -> uplink.healthReport().window().equals(new HealthReport.Window(2, 2)));
        hub.release(batchIds(0).get(1)); // the second PUBACK first: one place again
        Poll.until(WAIT, "a third batch", () -> batchIds(0).size() == 3 && hub.outstanding(0).size() == 2);

        hub.holdAll(false);
        Poll.until(WAIT, "all sent", () -> metrics.recordsSent().count() == 30);
        assertThat(hub.maxOutstanding()).isEqualTo(2);
        assertThat(hub.storedReadings()).containsExactlyElementsOf(readings);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void pubacksOutOfOrderRemoveTheirOwnRangesAndNothingIsLostOrDuplicated() throws Exception {
        hub.holdAll(true);
        List<Reading> readings = Records.co2(SCHOOL, "r101", 40);
        outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true); // a row each: batches may end between any two

        startUplink(5, 4);

        Poll.until(WAIT, "four batches outstanding", () -> hub.outstanding(0).size() == 4);
        List<String> ids = batchIds(0);
        // the hub stores batches concurrently: the third is acknowledged first
        hub.release(ids.get(2));
        Poll.until(WAIT, "the third batch's records removed",
                () -> outbox.size() == 35 && metrics.batchesSent().count() == 1);
        List<Reading> left = new ArrayList<>(readings);
        left.subList(10, 15).clear();
        assertThat(outbox.peek(100).readings()).containsExactlyElementsOf(left);
        Poll.until(WAIT, "the window moved on by one batch", () -> batchIds(0).size() == 5 && hub.outstanding(0).size() == 4);

        hub.release(ids.get(3));
        hub.release(ids.get(0));
        // (the sender counts a batch right after removing its records: wait for both)
        Poll.until(WAIT, "the fourth and the first batch removed",
                () -> outbox.size() == 25 && metrics.batchesSent().count() == 3);
        left.subList(10, 15).clear(); // the fourth batch: records 15-19, now at 10 of what is left
        left.subList(0, 5).clear();
        assertThat(outbox.peek(100).readings()).containsExactlyElementsOf(left);
        assertThat(metrics.batchesSent().count()).isEqualTo(3);
        assertThat(metrics.recordsSent().count()).isEqualTo(15);

        hub.holdAll(false);
        Poll.until(WAIT, "all 40 records sent", () -> metrics.recordsSent().count() == 40);
        assertThat(outbox.size()).isZero();
        assertThat(batchIds(-1)).hasSize(8).doesNotHaveDuplicates();
        assertThat(hub.storedReadings()).containsExactlyInAnyOrderElementsOf(readings).doesNotHaveDuplicates();
        assertThat(hub.replays()).isZero();
        assertThat(hub.maxOutstanding()).isEqualTo(4);
        assertThat(metrics.batchesSent().count()).isEqualTo(8);
    }

    @Test
    void aReconnectInTheMiddleOfAFullWindowResendsItInOrderAndTheHubStoresEachRecordOnce() throws Exception {
        hub.holdAll(true);
        List<Reading> readings = Records.co2(SCHOOL, "r101", 40);
        outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true); // a row each: batches may end between any two

        startUplink(5, 4);

        Poll.until(WAIT, "four batches outstanding", () -> hub.outstanding(0).size() == 4);
        List<String> ids = batchIds(0);
        hub.release(ids.get(1)); // one answered out of order before the cut
        Poll.until(WAIT, "the window full again", () -> batchIds(0).size() == 5 && hub.outstanding(0).size() == 4);
        List<String> window = List.of(ids.get(0), ids.get(2), ids.get(3), batchIds(0).get(4));
        assertThat(outbox.size()).isEqualTo(35);

        // the link is cut with four batches stored by the hub but not acknowledged
        hub.closeConnections();
        Poll.until(WAIT, "the window resent on a new connection", () -> hub.outstanding(1).size() == 4);
        // the same batches, same ids, in outbox order, and nothing else: the window is full
        assertThat(batchIds(1)).containsExactlyElementsOf(window);

        hub.holdAll(false);
        Poll.until(WAIT, "all 40 records sent", () -> metrics.recordsSent().count() == 40);
        assertThat(outbox.size()).isZero();
        assertThat(hub.connects()).hasSize(2);
        // the hub's replay detection collapses the four resent batches: every record stored once
        assertThat(hub.replays()).isEqualTo(4);
        assertThat(hub.storedReadings()).containsExactlyInAnyOrderElementsOf(readings).doesNotHaveDuplicates();
        assertThat(metrics.batchRetries().count()).isEqualTo(4);
        assertThat(metrics.batchesSent().count()).isEqualTo(8);
        assertThat(metrics.ackTimeouts().count()).isZero();
    }

    @Test
    void aBatchTooLargeInTheMiddleOfAWindowIsSplitAndEverythingIsDelivered() throws Exception {
        List<Reading> readings = Records.co2(SCHOOL, "r101", 40);
        outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true); // a row each: batches may end between any two
        // the third batch the uplink will take (peeked as it peeks): the hub refuses it as too large
        OutboxBatch b1 = outbox.peek(4);
        OutboxBatch b2 = outbox.peekAfter(b1.lastSeq(), 4);
        OutboxBatch b3 = outbox.peekAfter(b2.lastSeq(), 4);
        String tooLarge = Uplink.batchId(GATEWAY, b3.firstSeq(), b3.lastSeq());
        hub.refuseAsTooLarge(tooLarge);

        startUplink(4, 4);

        Poll.until(WAIT, "all 40 records sent", () -> metrics.recordsSent().count() == 40);
        assertThat(outbox.size()).isZero();
        assertThat(hub.storedReadings()).containsExactlyInAnyOrderElementsOf(readings).doesNotHaveDuplicates();
        assertThat(hub.stored()).doesNotContainKey(tooLarge);
        assertThat(hub.replays()).isZero();
        assertThat(metrics.batchesSplit().count()).isEqualTo(1);
        assertThat(metrics.batchesRejected().count()).isZero();
        assertThat(outbox.refusedBatchCount()).isZero();
        // its records went again in two halves, each alone in flight (the window drained first)
        List<StubHub.Published> halves = hub.published().stream()
                .filter(p -> b3.readings().containsAll(decode(p).readings()) && !decode(p).batchId().equals(tooLarge))
                .toList();
        assertThat(halves).hasSize(2);
        assertThat(readingsOf(halves.stream().map(this::decode).toList())).containsExactlyElementsOf(b3.readings());
        assertThat(halves).allSatisfy(p -> assertThat(p.outstandingOnArrival()).isEqualTo(1));
        // then batches of the configured size again
        assertThat(batches(-1).get(batches(-1).size() - 1).readings()).hasSize(4);
    }

    @Test
    void aWindowOfOneKeepsOneBatchInFlight() throws Exception {
        hub.holdAll(true);
        List<Reading> readings = Records.co2(SCHOOL, "r101", 20);
        outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true); // a row each: batches may end between any two

        startUplink(5, 1);

        Poll.until(WAIT, "one batch outstanding", () -> hub.outstanding(0).size() == 1);
        hub.release(batchIds(0).get(0));
        Poll.until(WAIT, "the next batch after the PUBACK", () -> batchIds(0).size() == 2 && hub.outstanding(0).size() == 1);
        assertThat(outbox.size()).isEqualTo(15);
        assertThat(uplink.healthReport().window()).isEqualTo(new HealthReport.Window(1, 1));

        hub.holdAll(false);
        Poll.until(WAIT, "all sent", () -> metrics.recordsSent().count() == 20);
        assertThat(hub.maxOutstanding()).isEqualTo(1);
        assertThat(hub.storedReadings()).containsExactlyElementsOf(readings);
        assertThat(batchIds(-1)).hasSize(4).doesNotHaveDuplicates();
    }
}

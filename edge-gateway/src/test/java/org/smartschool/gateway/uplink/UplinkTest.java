package org.smartschool.gateway.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.outbox.RefusedBatch;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.Records;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/** Verifies the uplink's side of docs/protocol.md against an MQTT 5 server that answers like the hub. */
@Timeout(60)
class UplinkTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SCHOOL = "thcs-le-loi";
    private static final String GATEWAY = "gw-1";

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

    /** The uplink's window in these tests: the default; {@link UplinkWindowOfOneTest} runs them all with 1. */
    int windowBatches() {
        return GatewayConfig.UplinkSettings.DEFAULT_WINDOW_BATCHES;
    }

    private void startUplink(int batchMaxRecords) {
        GatewayConfig config = GatewayConfig.defaults().withNorth(new GatewayConfig.NorthSettings(hub.url(), "pässword"))
                .withUplink(new GatewayConfig.UplinkSettings(batchMaxRecords, 50, 100, 400, 60_000, 3000, windowBatches()));
        config = new GatewayConfig(GATEWAY, SCHOOL, config.south(), config.north(), config.outbox(), config.uplink());
        uplink = new Uplink(config, outbox, metrics, codec, new DesiredConfigStore(dir.resolve("desired.json")));
        uplink.start();
    }

    private Batch decode(StubHub.Published published) {
        try {
            return codec.decode(published.payload());
        } catch (Exception e) {
            throw new AssertionError("the gateway sent an undecodable frame", e);
        }
    }

    @Test
    void connectsAsTheProtocolSays() throws Exception {
        startUplink(500);

        Poll.until(WAIT, "connected and subscribed", () -> !hub.subscriptions().isEmpty());
        StubHub.Connect connect = hub.connects().get(0);
        assertThat(connect.protocolVersion()).isEqualTo(5);
        assertThat(connect.clientId()).isEqualTo(GATEWAY);
        assertThat(connect.username()).isEqualTo(GATEWAY);
        assertThat(connect.password()).isEqualTo("pässword");
        assertThat(connect.cleanStart()).isTrue();
        assertThat(connect.keepAliveSeconds()).isEqualTo(30);
        assertThat(hub.subscriptions()).containsExactly(UplinkTopics.config(SCHOOL, GATEWAY));
    }

    @Test
    void sendsBatchesWithDeterministicIdsAndRemovesThemAfterSuccess() throws Exception {
        // a row each (one device frame per record), so that batches can end between any two
        outbox.appendFrames(Records.oneFrameEach(Records.co2(SCHOOL, "r101", 5),
                List.of(Records.doorOpen(SCHOOL, "r101", Records.T0))), true);
        long firstSeq = outbox.peek(1).firstSeq();

        startUplink(4);

        Poll.until(WAIT, "all sent", () -> metrics.recordsSent().count() == 6);
        assertThat(outbox.size()).isZero();
        List<StubHub.Published> sent = hub.published();
        assertThat(sent).hasSize(2);
        assertThat(sent).allSatisfy(p -> {
            assertThat(p.topic()).isEqualTo(UplinkTopics.batch(SCHOOL, GATEWAY));
            assertThat(p.contentType()).isEqualTo(BatchCodec.CONTENT_TYPE);
            assertThat(p.qos()).isEqualTo(1);
        });
        Batch first = decode(sent.get(0));
        Batch second = decode(sent.get(1));
        assertThat(first.batchId()).isEqualTo(GATEWAY + "-" + firstSeq + "-" + (firstSeq + 3));
        assertThat(first.readings()).hasSize(4);
        assertThat(second.batchId()).isEqualTo(GATEWAY + "-" + (firstSeq + 4) + "-" + (firstSeq + 5));
        assertThat(second.readings()).hasSize(1);
        assertThat(second.events()).hasSize(1);
        assertThat(metrics.batchesSent().count()).isEqualTo(2);
        assertThat(metrics.recordsSent().count()).isEqualTo(6);
    }

    @Test
    void aBatchWithoutPubackIsResentOnlyOnANewConnection() throws Exception {
        hub.holdAcks(1); // the first PUBLISH is never answered: a hub too slow for uplink.ackTimeoutMillis (3 s)
        outbox.append(Records.co2(SCHOOL, "r101", 3), List.of());

        startUplink(500);

        Poll.until(WAIT, "the batch acknowledged after the held PUBACK", () -> metrics.recordsSent().count() == 3);
        List<StubHub.Published> sent = hub.published().stream()
                .filter(p -> p.topic().equals(UplinkTopics.batch(SCHOOL, GATEWAY))).toList();
        assertThat(sent).hasSize(2);
        assertThat(decode(sent.get(1)).batchId()).isEqualTo(decode(sent.get(0)).batchId());
        // the second send of the batch id came on a new connection, after the first one was closed
        assertThat(sent.get(0).connection()).isEqualTo(0);
        assertThat(sent.get(1).connection()).isEqualTo(1);
        assertThat(hub.closedConnections()).containsExactly("0");
        assertThat(hub.connects()).hasSize(2);
        assertThat(metrics.ackTimeouts().count()).isEqualTo(1.0);
        assertThat(metrics.batchRetries().count()).isEqualTo(1.0);
        assertThat(uplink.healthReport().counters()).containsEntry("ack_timeouts", 1L).containsEntry("north_connects", 2L);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aStorageFailureKeepsTheBatchAndResendsItWithTheSameId() throws Exception {
        hub.thenAnswer(MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "database is locked")
                .thenAnswer(MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, "database is locked");
        outbox.append(Records.co2(SCHOOL, "r101", 3), List.of());

        startUplink(500);

        Poll.until(WAIT, "sent", () -> metrics.batchesSent().count() == 1);
        assertThat(outbox.size()).isZero();
        List<StubHub.Published> sent = hub.published();
        assertThat(sent).hasSize(3);
        assertThat(List.of(decode(sent.get(0)).batchId(), decode(sent.get(1)).batchId(), decode(sent.get(2)).batchId()))
                .containsOnly(decode(sent.get(0)).batchId());
        assertThat(metrics.batchRetries().count()).isEqualTo(2);
        assertThat(metrics.batchesSent().count()).isEqualTo(1);
        assertThat(outbox.refusedBatchCount()).isZero();
    }

    @Test
    void aBatchTheHubCannotDecodeIsDeadLetteredAndNotResent() throws Exception {
        hub.thenAnswer(MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, "frame truncated at byte 17");
        outbox.append(Records.co2(SCHOOL, "r101", 3), List.of());

        startUplink(500);

        Poll.until(WAIT, "rejected", () -> metrics.batchesRejected().count() == 1);
        // the uplink goes on: a later batch goes through, and the refused one never came again before it
        // (batches go in outbox order, so a resend of the refused one would have come first)
        outbox.append(Records.co2(SCHOOL, "r102", 1), List.of());
        Poll.until(WAIT, "the next batch sent", () -> metrics.batchesSent().count() == 1);
        assertThat(outbox.size()).isZero();
        assertThat(hub.published()).hasSize(2);
        assertThat(decode(hub.published().get(1)).batchId()).isNotEqualTo(decode(hub.published().get(0)).batchId());
        assertThat(decode(hub.published().get(1)).readings()).hasSize(1);
        assertThat(metrics.batchesRejected().count()).isEqualTo(1);
        RefusedBatch refused = outbox.refusedBatches(1).get(0);
        assertThat(refused.topic()).isEqualTo(UplinkTopics.batch(SCHOOL, GATEWAY));
        assertThat(refused.batchId()).isEqualTo(decode(hub.published().get(0)).batchId());
        assertThat(refused.reason()).contains("0x99 Payload format invalid: frame truncated at byte 17");
        assertThat(refused.lines().lines()).hasSize(3);
        assertThat(outbox.deadLetterCount()).isZero();
    }

    @Test
    void aBatchForAnotherSchoolIsDeadLetteredAndTheNextOneGoesThrough() throws Exception {
        hub.thenAnswer(MqttPubAckReasonCode.NOT_AUTHORIZED, "gateway gw-1 may not publish for school x");
        outbox.append(Records.co2(SCHOOL, "r101", 2), List.of());

        startUplink(2);
        Poll.until(WAIT, "first batch rejected", () -> metrics.batchesRejected().count() == 1);
        outbox.append(Records.co2(SCHOOL, "r102", 2), List.of());

        Poll.until(WAIT, "second batch sent", () -> metrics.batchesSent().count() == 1);
        assertThat(outbox.size()).isZero();
        assertThat(metrics.batchesRejected().count()).isEqualTo(1);
        assertThat(outbox.refusedBatches(1).get(0).reason()).contains("0x87 Not authorized");
    }

    @Test
    void aBatchTooLargeForTheHubIsSplitAndItsHalvesResentDownToWhatTheHubTakes() throws Exception {
        hub.refuseLargerThan(3);
        List<org.smartschool.bridge.model.Reading> readings = Records.co2(SCHOOL, "r101", 10);
        outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true); // a row each: splittable down to one
        long firstSeq = outbox.peek(1).firstSeq();

        startUplink(10);

        Poll.until(WAIT, "all 10 records sent", () -> metrics.recordsSent().count() == 10);
        assertThat(outbox.size()).isZero();
        List<Integer> sizes = new ArrayList<>();
        List<org.smartschool.bridge.model.Reading> stored = new ArrayList<>();
        for (StubHub.Published published : hub.published()) {
            Batch batch = decode(published);
            sizes.add(batch.readings().size());
            if (batch.readings().size() <= 3) {
                stored.addAll(batch.readings());
            }
        }
        // 10 refused, 5 refused, then the records in batches of 2 until the refused ones are through
        assertThat(sizes).containsExactly(10, 5, 2, 2, 2, 2, 2);
        assertThat(stored).containsExactlyElementsOf(readings);
        assertThat(decode(hub.published().get(2)).batchId()).isEqualTo(GATEWAY + "-" + firstSeq + "-" + (firstSeq + 1));
        assertThat(metrics.batchesSplit().count()).isEqualTo(2);
        assertThat(metrics.batchesRejected().count()).isZero();
        assertThat(outbox.refusedBatchCount()).isZero();

        // once through, batches are back to the configured size
        hub.refuseLargerThan(Integer.MAX_VALUE);
        outbox.append(Records.co2(SCHOOL, "r102", 10), List.of());
        Poll.until(WAIT, "10 more sent", () -> metrics.recordsSent().count() == 20);
        assertThat(decode(hub.published().get(hub.published().size() - 1)).readings()).hasSize(10);
    }

    @Test
    void aSingleRecordTooLargeForTheHubIsKeptAsARefusedBatch() throws Exception {
        hub.refuseLargerThan(0);
        outbox.appendFrames(Records.oneFrameEach(Records.co2(SCHOOL, "r101", 2), List.of()), true);

        startUplink(500);

        // the counter follows the move into the refused batches: wait for both
        Poll.until(WAIT, "both records refused",
                () -> outbox.refusedBatchCount() == 2 && metrics.batchesRejected().count() == 2);
        assertThat(outbox.size()).isZero();
        assertThat(hub.published()).extracting(p -> decode(p).readings().size()).containsExactly(2, 1, 1);
        assertThat(outbox.refusedBatches(2)).allSatisfy(b -> {
            assertThat(b.reason()).contains("of one outbox row").contains("0x97 Quota exceeded")
                    .contains("exceeds MAX_RECORDS (0)");
            assertThat(b.recordCount()).isEqualTo(1);
        });
        assertThat(metrics.batchesRejected().count()).isEqualTo(2);
    }
}

package org.smartschool.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.support.Records;

/** Verifies that refused batches and device garbage live apart, each bounded on its own, and can be replayed. */
@Timeout(30)
class DeadLetterTablesTest {
    @TempDir
    Path dir;

    private Outbox open(int maxDeadLetters, int maxRefused) {
        return Outbox.open(dir.resolve("outbox.db"), OutboxLimits.of(1000, maxDeadLetters)
                .withMaxRefusedBatches(maxRefused).withDisk(0, 0));
    }

    @Test
    void aNoisyDeviceCannotEvictABatchTheHubRefused() throws Exception {
        try (Outbox outbox = open(5, 3)) {
            outbox.append(Records.co2("s1", "r1", 2), List.of());
            outbox.moveToRefusedBatches(outbox.peek(10).lastSeq(), "gw-1-1-2", "ss/v1/s1/gw-1/batch", "0x99 bad");

            for (int i = 0; i < 1_000; i++) {
                outbox.deadLetter(List.of(new DeadLetter("noise/" + i, new byte[] {(byte) i}, "garbage", i + 1)));
            }

            assertThat(outbox.deadLetterCount()).isEqualTo(5);
            assertThat(outbox.deadLetters(10)).extracting(DeadLetter::topic).first().isEqualTo("noise/999");
            assertThat(outbox.refusedBatches(10)).singleElement()
                    .satisfies(b -> assertThat(b.batchId()).isEqualTo("gw-1-1-2"));
        }
    }

    @Test
    void refusedBatchesAreBoundedOnTheirOwnKeepingTheNewest() throws Exception {
        try (Outbox outbox = open(100, 2)) {
            for (int i = 0; i < 4; i++) {
                outbox.append(Records.co2("s1", "r" + i, 1), List.of());
                outbox.moveToRefusedBatches(outbox.peek(10).lastSeq(), "b" + i, "t", "refused " + i);
            }
            assertThat(outbox.refusedBatchCount()).isEqualTo(2);
            assertThat(outbox.refusedBatches(10)).extracting(RefusedBatch::batchId).containsExactly("b3", "b2");
        }
    }

    @Test
    void eachDeadLetterTableIsBoundedByBytesOnItsOwnOldestTrimmedAndCounted() throws Exception {
        long maxBytes = 64 * 1024;
        try (Outbox outbox = Outbox.open(dir.resolve("bytes.db"), OutboxLimits.of(100_000, 10_000)
                .withMaxRefusedBatches(10_000).withMaxDeadLetterBytes(maxBytes).withDisk(0, 0))) {
            outbox.appendFrames(Records.oneFrameEach(Records.co2("s1", "r1", 50), List.of()), true);
            for (int i = 0; i < 5; i++) {
                outbox.moveToRefusedBatches(outbox.peek(10).lastSeq(), "b" + i, "ss/v1/s1/gw-1/batch", "0x99 bad " + i);
            }
            // a noisy device: 1,000 frames of 1 KB, far more than 64 KB, but far fewer than 10,000 rows
            for (int i = 0; i < 1_000; i++) {
                outbox.deadLetter(List.of(new DeadLetter("noise/" + i, new byte[1024], "garbage", i + 1)));
            }

            assertThat(outbox.deadLetterCount()).isBetween(55L, 63L); // 64 KB of 1 KB frames and their columns
            assertThat(outbox.deadLetters(1)).extracting(DeadLetter::topic).containsExactly("noise/999");
            assertThat(outbox.refusedBatches(10)).extracting(RefusedBatch::batchId).containsExactly("b4", "b3", "b2", "b1", "b0");
            assertThat(outbox.deadLettersTrimmed()).containsOnlyKeys("device_dead_letters_max_bytes")
                    .containsEntry("device_dead_letters_max_bytes", 1_000 - outbox.deadLetterCount());

            // refused batches: their own byte bound; the newest stays even when alone over it
            for (int i = 0; i < 3; i++) {
                outbox.appendFrames(Records.oneFrameEach(Records.co2("s1", "r2", 500), List.of()), true);
                outbox.moveToRefusedBatches(outbox.peek(1_000).lastSeq(), "big" + i, "ss/v1/s1/gw-1/batch", "0x99");
            }
            List<RefusedBatch> kept = outbox.refusedBatches(100);
            assertThat(kept).singleElement().satisfies(b -> {
                assertThat(b.batchId()).isEqualTo("big2");
                assertThat(b.recordCount()).isEqualTo(500);
                assertThat(b.lines().length()).isGreaterThan((int) maxBytes);
            });
            assertThat(outbox.deadLettersTrimmed()).containsEntry("refused_batches_max_bytes", 5L + 2L);
            assertThat(outbox.deadLetterCount()).isBetween(55L, 63L); // untouched by the refused batches' trim
        }
    }

    @Test
    void aDeadLetterKeepsTheOriginalFrame() throws Exception {
        byte[] payload = {0x00, (byte) 0xFF, 0x7B, 0x0A};
        RawMessage frame = new RawMessage("coap/r1/senml-1", "application/senml+cbor", payload, Records.T0);
        try (Outbox outbox = open(10, 10)) {
            outbox.deadLetter(List.of(DeadLetter.of(frame, payload, "cannot decode with senml-cbor: $: not CBOR")));

            DeadLetter kept = outbox.deadLetters(1).get(0);
            assertThat(kept.id()).isPositive();
            assertThat(kept.frame().topic()).isEqualTo("coap/r1/senml-1");
            assertThat(kept.frame().contentType()).isEqualTo("application/senml+cbor");
            assertThat(kept.frame().payload()).containsExactly(payload);
            assertThat(kept.frame().receivedAt()).isEqualTo(Records.T0);
            assertThat(kept.time()).isGreaterThanOrEqualTo(kept.receivedAt());
        }
    }

    @Test
    void aRefusedBatchIsReplayedIntoTheOutboxInOneStep() throws Exception {
        try (Outbox outbox = open(10, 10)) {
            List<Reading> readings = Records.co2("s1", "r1", 3);
            outbox.append(readings, List.of(Records.doorOpen("s1", "r1", Records.T0)));
            long refusedSeq = outbox.peek(10).lastSeq();
            outbox.moveToRefusedBatches(refusedSeq, "gw-1-a-b", "ss/v1/s1/gw-1/batch", "0x99 unknown quantity");
            long id = outbox.refusedBatches(1).get(0).id();

            int replayed = outbox.replayRefusedBatch(id);

            assertThat(replayed).isEqualTo(4);
            assertThat(outbox.refusedBatchCount()).isZero();
            OutboxBatch back = outbox.peek(10);
            assertThat(back.readings()).containsExactlyElementsOf(readings);
            assertThat(back.events()).containsExactly(Records.doorOpen("s1", "r1", Records.T0));
            assertThat(back.firstSeq()).isGreaterThan(refusedSeq); // a new batch id when it is sent again
            assertThatThrownBy(() -> outbox.replayRefusedBatch(id)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no refused batch " + id);
        }
    }

    @Test
    void theExportLineOfAFrameReadsBackToTheSameFrame() throws Exception {
        byte[] payload = "UID: 04 A2 2B 1C\r\n".getBytes(StandardCharsets.US_ASCII);
        DeadLetter letter = new DeadLetter(7, "doors/r1/door-1", null, payload, Records.T0, "unknown device", Records.T0 + 1);

        String line = DeadLetterExport.line(letter);

        assertThat(line).contains("\"type\":\"device-frame\"").contains("\"payloadBase64\":\"VUlEOiAwNCBBMiAyQiAxQw0K\"");
        DeadLetter back = DeadLetterExport.deviceFrame(line);
        assertThat(back.payload()).containsExactly(payload);
        assertThat(back.topic()).isEqualTo(letter.topic());
        assertThat(back.contentType()).isNull();
        assertThat(back.receivedAt()).isEqualTo(Records.T0);
    }
}

package org.smartschool.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.Records;

@Timeout(30)
class OutboxTest {
    @TempDir
    Path dir;

    private Outbox open(long maxRecords) {
        return Outbox.open(dir.resolve("outbox.db"), maxRecords, 100);
    }

    @Test
    void peekReturnsTheOldestRecordsInOrderWithTheirSeqRange() throws Exception {
        try (Outbox outbox = open(1000)) {
            List<Reading> readings = Records.co2("s1", "r1", 5);
            DeviceEvent door = Records.doorOpen("s1", "r1", Records.T0);
            outbox.appendFrames(Records.oneFrameEach(readings, List.of(door)), true);

            OutboxBatch first3 = outbox.peek(3);
            assertThat(first3.readings()).containsExactlyElementsOf(readings.subList(0, 3));
            assertThat(first3.lastSeq() - first3.firstSeq()).isEqualTo(2);
            OutboxBatch all = outbox.peek(100);
            assertThat(all.readings()).containsExactlyElementsOf(readings);
            assertThat(all.events()).containsExactly(door);
            assertThat(all.firstSeq()).isEqualTo(first3.firstSeq());
            assertThat(outbox.size()).isEqualTo(6);
        }
    }

    @Test
    void peekReturnsWholeRowsAsManyAsFitAndAlwaysAtLeastOne() throws Exception {
        try (Outbox outbox = open(1000)) {
            List<Reading> readings = Records.co2("s1", "r1", 12);
            // three device frames: rows of 5, 4 and 3 readings
            outbox.appendFrames(List.of(IntakeFrame.of(readings.subList(0, 5), List.of()),
                    IntakeFrame.of(readings.subList(5, 9), List.of()), IntakeFrame.of(readings.subList(9, 12), List.of())), true);

            OutboxBatch fitsOne = outbox.peek(8);
            assertThat(fitsOne.readings()).containsExactlyElementsOf(readings.subList(0, 5));
            assertThat(fitsOne.lastSeq()).isEqualTo(fitsOne.firstSeq());
            OutboxBatch fitsTwo = outbox.peek(9);
            assertThat(fitsTwo.readings()).containsExactlyElementsOf(readings.subList(0, 9));
            assertThat(fitsTwo.lastSeq()).isEqualTo(fitsTwo.firstSeq() + 1);
            // a row larger than max comes whole rather than never
            OutboxBatch larger = outbox.peek(2);
            assertThat(larger.readings()).containsExactlyElementsOf(readings.subList(0, 5));
            OutboxBatch after = outbox.peekAfter(larger.lastSeq(), 3);
            assertThat(after.readings()).containsExactlyElementsOf(readings.subList(5, 9));

            outbox.remove(after.firstSeq(), after.lastSeq());
            assertThat(outbox.size()).isEqualTo(8);
            assertThat(outbox.peek(100).readings()).containsExactlyElementsOf(
                    java.util.stream.Stream.concat(readings.subList(0, 5).stream(), readings.subList(9, 12).stream()).toList());
        }
    }

    @Test
    void recordsSurviveCloseAndReopenInOrder() throws Exception {
        List<Reading> readings = Records.co2("s1", "r1", 20);
        long firstSeq;
        try (Outbox outbox = open(1000)) {
            outbox.append(readings.subList(0, 10), List.of());
            outbox.append(readings.subList(10, 20), List.of());
            firstSeq = outbox.peek(1).firstSeq();
        }
        try (Outbox reopened = open(1000)) {
            assertThat(reopened.size()).isEqualTo(20);
            OutboxBatch batch = reopened.peek(100);
            assertThat(batch.readings()).containsExactlyElementsOf(readings);
            assertThat(batch.firstSeq()).isEqualTo(firstSeq);
            assertThat(reopened.oldestAppendedAt()).isPresent();
        }
    }

    @Test
    void removeTakesOnlyRecordsUpToTheAcknowledgedSeq() throws Exception {
        try (Outbox outbox = open(1000)) {
            List<Reading> readings = Records.co2("s1", "r1", 10);
            outbox.appendFrames(Records.oneFrameEach(readings, List.of()), true);
            OutboxBatch sent = outbox.peek(4);

            outbox.remove(sent.lastSeq());

            assertThat(outbox.size()).isEqualTo(6);
            OutboxBatch rest = outbox.peek(100);
            assertThat(rest.readings()).containsExactlyElementsOf(readings.subList(4, 10));
            assertThat(rest.firstSeq()).isEqualTo(sent.lastSeq() + 1);
        }
    }

    /**
     * Verifies that a removal (the hub has the records; a power cut undoing it only sends them again) leaves the
     * connection waiting for the disk at every other commit: the next append is as durable as before, and the removal
     * holds after a reopen.
     */
    @Test
    void aRemovalLeavesEveryOtherCommitWaitingForTheDisk() throws Exception {
        try (Outbox outbox = open(1000)) {
            assertThat(outbox.synchronous()).as("FULL").isEqualTo(2);
            outbox.appendFrames(Records.oneFrameEach(Records.co2("s1", "r1", 3), List.of()), true);
            outbox.remove(outbox.peek(2).lastSeq());
            assertThat(outbox.synchronous()).as("FULL again after the removal").isEqualTo(2);
            outbox.append(Records.co2("s1", "r2", 1), List.of());
            assertThat(outbox.synchronous()).isEqualTo(2);
        }
        try (Outbox reopened = open(1000)) {
            assertThat(reopened.size()).isEqualTo(2);
            assertThat(reopened.peek(10).readings()).extracting(Reading::room).containsExactly("r1", "r2");
        }
    }

    @Test
    void sequenceNumbersAreNeverReusedAfterTheOutboxEmptied() throws Exception {
        try (Outbox outbox = open(1000)) {
            outbox.append(Records.co2("s1", "r1", 3), List.of());
            long last = outbox.peek(10).lastSeq();
            outbox.remove(last);
            assertThat(outbox.size()).isZero();
            assertThat(outbox.oldestAppendedAt()).isEmpty();

            outbox.append(Records.co2("s1", "r1", 1), List.of());
            assertThat(outbox.peek(10).firstSeq()).isEqualTo(last + 1);
        }
    }

    @Test
    void aNewOutboxStartsItsSequenceAtTheClockSoARecreatedFileGetsNewBatchIds() throws Exception {
        long before = System.currentTimeMillis();
        try (Outbox outbox = open(1000)) {
            outbox.append(Records.co2("s1", "r1", 1), List.of());
            assertThat(outbox.peek(1).firstSeq()).isGreaterThan(before);
        }
    }

    @Test
    void anOutboxFullOfEventsBlocksAppendUntilTheUplinkMakesRoom() throws Exception {
        try (Outbox outbox = open(10)) {
            outbox.appendFrames(Records.oneFrameEach(List.of(), Records.doors("s1", "r1", 8)), true);
            List<DeviceEvent> more = Records.doors("s1", "r2", 5);
            assertThat(outbox.waitingAppends()).isZero();

            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try {
                    outbox.append(List.of(), more);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Poll.until(Duration.ofSeconds(10), "the append waiting for room", () -> outbox.waitingAppends() == 1);
            assertThat(blocked).isNotDone();
            assertThat(outbox.size()).isEqualTo(8);

            outbox.remove(outbox.peek(3).lastSeq());

            blocked.get(5, TimeUnit.SECONDS);
            assertThat(outbox.size()).isEqualTo(10);
            assertThat(outbox.peek(100).events()).endsWith(more.toArray(DeviceEvent[]::new));
            assertThat(outbox.drops()).isEmpty();
        }
    }

    @Test
    void closingReleasesABlockedAppendWithoutAppending() throws Exception {
        Outbox outbox = open(2);
        outbox.append(List.of(), Records.doors("s1", "r1", 2));
        assertThat(outbox.waitingAppends()).isZero();
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                outbox.append(List.of(), Records.doors("s1", "r2", 1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Poll.until(Duration.ofSeconds(10), "the append waiting for room", () -> outbox.waitingAppends() == 1);
        assertThat(blocked).isNotDone();
        outbox.close();

        assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(OutboxClosedException.class);
        try (Outbox reopened = open(2)) {
            assertThat(reopened.size()).isEqualTo(2);
        }
    }

    @Test
    void anAppendOfEventsLargerThanTheWholeOutboxGoesInWhenItIsEmpty() throws Exception {
        try (Outbox outbox = open(3)) {
            outbox.append(List.of(), Records.doors("s1", "r1", 5));
            assertThat(outbox.size()).isEqualTo(5);
        }
    }

    @Test
    void awaitSizeReturnsWhenEnoughRecordsArriveOrTheTimeIsUp() throws Exception {
        try (Outbox outbox = open(100)) {
            long started = System.nanoTime();
            assertThat(outbox.awaitSize(1, 200)).isZero();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(190);

            CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return outbox.awaitSize(3, 10_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            outbox.append(Records.co2("s1", "r1", 3), List.of());
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    void refusedRecordsMoveToTheRefusedBatchesInOneStep() throws Exception {
        try (Outbox outbox = open(100)) {
            outbox.appendFrames(Records.oneFrameEach(Records.co2("s1", "r1", 4), List.of()), true);
            OutboxBatch refused = outbox.peek(3);

            outbox.moveToRefusedBatches(refused.lastSeq(), "gw-1-1-3", "ss/v1/s1/gw/batch", "0x99 Payload format invalid");

            assertThat(outbox.size()).isEqualTo(1);
            assertThat(outbox.deadLetterCount()).isZero();
            List<RefusedBatch> batches = outbox.refusedBatches(10);
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).batchId()).isEqualTo("gw-1-1-3");
            assertThat(batches.get(0).topic()).isEqualTo("ss/v1/s1/gw/batch");
            assertThat(batches.get(0).reason()).isEqualTo("0x99 Payload format invalid");
            assertThat(batches.get(0).recordCount()).isEqualTo(3);
            String lines = batches.get(0).lines();
            assertThat(lines.lines()).hasSize(3).allMatch(line -> line.startsWith("{\"kind\":\"reading\""));
            assertThat(lines).contains("\"value\":400.0").contains("\"value\":402.0").doesNotContain("\"value\":403.0");
        }
    }

    @Test
    void deadLettersAreBoundedKeepingTheNewest() throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("dl.db"), 100, 3)) {
            for (int i = 0; i < 5; i++) {
                outbox.deadLetter(List.of(new DeadLetter("t/" + i, new byte[] {(byte) i}, "bad " + i, i + 1)));
            }
            assertThat(outbox.deadLetterCount()).isEqualTo(3);
            assertThat(outbox.deadLetters(10)).extracting(DeadLetter::topic).containsExactly("t/4", "t/3", "t/2");
        }
    }

    @Test
    void aRowThatCannotBeReadIsDeadLetteredInsteadOfBlockingTheOutbox() throws Exception {
        Path file = dir.resolve("outbox.db");
        try (Outbox outbox = open(100)) {
            outbox.appendFrames(Records.oneFrameEach(Records.co2("s1", "r1", 2), List.of()), true);
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = db.createStatement()) {
            st.executeUpdate("UPDATE records SET body = '{\"quantity\":\"NO_SUCH\"}' WHERE seq = (SELECT MIN(seq) FROM records)");
        }
        try (Outbox outbox = open(100)) {
            OutboxBatch batch = outbox.peek(10);

            assertThat(batch.readings()).hasSize(1);
            assertThat(batch.readings().get(0).value()).isEqualTo(401);
            assertThat(outbox.size()).isEqualTo(1);
            assertThat(outbox.deadLetterCount()).isZero();
            assertThat(outbox.refusedBatches(10)).singleElement()
                    .satisfies(refused -> assertThat(refused.reason()).contains("is not a readable reading"));
        }
    }

    @Test
    void theFileIsInWalMode() throws Exception {
        try (Outbox outbox = open(100)) {
            outbox.append(Records.co2("s1", "r1", 1), List.of());
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal"); // WAL mode is stored in the file
        }
    }
}

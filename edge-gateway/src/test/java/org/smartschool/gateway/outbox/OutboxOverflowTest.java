package org.smartschool.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.support.Records;

/** Verifies the outbox's overflow policy, its byte bound, its disk watermark and its file lock. */
@Timeout(60)
class OutboxOverflowTest {
    @TempDir
    Path dir;

    private Outbox open(OutboxLimits limits) {
        return Outbox.open(dir.resolve("outbox.db"), limits.withDisk(0, 0));
    }

    @Test
    void aFullOutboxDropsTheOldestRoutineReadingsAndCountsThem() throws Exception {
        try (Outbox outbox = open(OutboxLimits.of(10, 100))) {
            outbox.append(Records.co2("s1", "r1", 6), Records.doors("s1", "r1", 2));
            List<Reading> more = Records.co2("s1", "r2", 4);

            outbox.append(more, List.of());

            assertThat(outbox.size()).isEqualTo(10);
            OutboxBatch all = outbox.peek(100);
            // the two oldest readings of r1 (400, 401) made room; both events stay
            assertThat(all.readings()).extracting(Reading::room, Reading::value).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("r1", 402.0), org.assertj.core.groups.Tuple.tuple("r1", 403.0),
                    org.assertj.core.groups.Tuple.tuple("r1", 404.0), org.assertj.core.groups.Tuple.tuple("r1", 405.0),
                    org.assertj.core.groups.Tuple.tuple("r2", 400.0), org.assertj.core.groups.Tuple.tuple("r2", 401.0),
                    org.assertj.core.groups.Tuple.tuple("r2", 402.0), org.assertj.core.groups.Tuple.tuple("r2", 403.0));
            assertThat(all.events()).hasSize(2);
            assertThat(outbox.drops()).isEqualTo(Map.of(Outbox.DROP_MAX_RECORDS, 2L));
        }
    }

    @Test
    void aBurstLargerThanTheWholeOutboxKeepsItsNewestReadingsAndEveryEvent() throws Exception {
        try (Outbox outbox = open(OutboxLimits.of(10, 100))) {
            outbox.append(Records.co2("s1", "r1", 4), Records.doors("s1", "r1", 1));
            List<Reading> burst = Records.co2("s1", "r2", 20);

            outbox.append(burst, Records.doors("s1", "r2", 2));

            OutboxBatch all = outbox.peek(100);
            assertThat(all.events()).hasSize(3);
            assertThat(all.readings()).containsExactlyElementsOf(burst.subList(13, 20));
            assertThat(outbox.size()).isEqualTo(10);
            assertThat(outbox.drops()).isEqualTo(Map.of(Outbox.DROP_MAX_RECORDS, 4L + 13L));
        }
    }

    @Test
    void eventsAreNeverDroppedAndTheDeviceIsRefusedWhenOnlyEventsCouldMakeRoom() throws Exception {
        try (Outbox outbox = open(OutboxLimits.of(10, 100))) {
            outbox.append(Records.co2("s1", "r1", 2), Records.doors("s1", "r1", 8));

            // 3 more do not fit: only 2 readings could go, so nothing is dropped and nothing appended
            boolean taken = outbox.tryAppend(List.of(), Records.doors("s1", "r2", 3));

            assertThat(taken).isFalse();
            assertThat(outbox.size()).isEqualTo(10);
            assertThat(outbox.peek(100).readings()).hasSize(2);
            assertThat(outbox.drops()).isEmpty();

            // 2 fit by dropping both readings
            assertThat(outbox.tryAppend(List.of(), Records.doors("s1", "r3", 2))).isTrue();
            OutboxBatch all = outbox.peek(100);
            assertThat(all.readings()).isEmpty();
            assertThat(all.events()).hasSize(10).extracting(DeviceEvent::room).containsOnly("r1", "r3");
            assertThat(outbox.drops()).isEqualTo(Map.of(Outbox.DROP_MAX_RECORDS, 2L));
        }
    }

    @Test
    void theByteBoundDropsReadingsByTheirStoredSize() throws Exception {
        long maxBytes = 64 * 1024;
        try (Outbox outbox = open(OutboxLimits.of(1_000_000, 100).withMaxBytes(maxBytes))) {
            DeviceRef device = new DeviceRef("s1", "r1", "co2-1");
            // values 1000-2999: every row stores the same number of bytes
            outbox.append(List.of(Reading.of(device, Quantity.CO2, 1000, Records.T0)), List.of());
            long perRow = outbox.bytes();
            for (int i = 1; i < 2_000; i += 10) {
                List<Reading> ten = new ArrayList<>();
                for (int j = i; j < i + 10 && j < 2_000; j++) {
                    ten.add(Reading.of(device, Quantity.CO2, 1000 + j, Records.T0 + j));
                }
                outbox.appendFrames(Records.oneFrameEach(ten, List.of()), true); // a row each, ten rows a transaction
            }

            long kept = outbox.size();
            assertThat(kept).isEqualTo(maxBytes / perRow);
            assertThat(outbox.bytes()).isEqualTo(kept * perRow);
            OutboxBatch all = outbox.peek(5_000);
            assertThat(all.readings().get(all.readings().size() - 1).value()).isEqualTo(2999.0);
            assertThat(all.readings().get(0).value()).isEqualTo(3000.0 - kept);
            assertThat(outbox.drops()).isEqualTo(Map.of(Outbox.DROP_MAX_BYTES, 2_000 - kept));
        }
        // bounded on disk too: the file stays near the bound (SQLite pages, the WAL cut back)
        assertThat(Files.size(dir.resolve("outbox.db"))).isLessThan(3 * maxBytes);
    }

    @Test
    void theByteAccountSurvivesAReopen() throws Exception {
        long bytes;
        try (Outbox outbox = open(OutboxLimits.defaults())) {
            outbox.appendFrames(Records.oneFrameEach(Records.co2("s1", "r1", 7), Records.doors("s1", "r1", 3)), true);
            outbox.remove(outbox.peek(2).lastSeq());
            bytes = outbox.bytes();
            assertThat(bytes).isPositive();
        }
        try (Outbox reopened = open(OutboxLimits.defaults())) {
            assertThat(reopened.size()).isEqualTo(8);
            assertThat(reopened.bytes()).isEqualTo(bytes);
        }
    }

    @Test
    void belowTheFreeSpaceWatermarkNothingIsAppendedButRemovesStillWork() throws Exception {
        Path file = dir.resolve("watermark.db");
        try (Outbox outbox = Outbox.open(file, OutboxLimits.defaults().withDisk(0, 0))) {
            outbox.append(Records.co2("s1", "r1", 3), List.of());
        }
        long impossible = Files.getFileStore(dir).getTotalSpace() + (1L << 40);
        try (Outbox outbox = Outbox.open(file, OutboxLimits.defaults().withDisk(impossible, 0))) {
            assertThat(outbox.diskFull()).isFalse();

            assertThatThrownBy(() -> outbox.append(Records.co2("s1", "r2", 1), List.of()))
                    .isInstanceOf(DiskFullException.class)
                    .hasMessageStartingWith("disk full: ")
                    .hasMessageContaining("below outbox.minFreeBytes " + impossible);
            assertThatThrownBy(() -> outbox.tryAppend(List.of(), Records.doors("s1", "r2", 1)))
                    .isInstanceOf(DiskFullException.class);
            assertThat(outbox.diskFull()).isTrue();
            assertThat(outbox.diskFullReason()).startsWith("disk full: ");
            assertThat(outbox.size()).isEqualTo(3);

            outbox.remove(outbox.peek(10).lastSeq());
            assertThat(outbox.size()).isZero();
        }
    }

    @Test
    void aReserveFileIsKeptNextToTheOutbox() throws Exception {
        Path file = dir.resolve("reserved.db");
        try (Outbox outbox = Outbox.open(file, OutboxLimits.defaults().withDisk(0, 256 * 1024))) {
            assertThat(Files.size(dir.resolve("reserved.db.reserve"))).isEqualTo(256 * 1024);
        }
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefusedWhileTheFirstIsOpen() {
        try (Outbox first = open(OutboxLimits.defaults())) {
            assertThatThrownBy(() -> open(OutboxLimits.defaults()))
                    .isInstanceOf(OutboxException.class)
                    .hasMessageContaining("is in use by a running gateway");
        }
        try (Outbox again = open(OutboxLimits.defaults())) {
            assertThat(again.size()).isZero();
        }
    }

    @Test
    void aFileWithTheSharedDeadLetterTableIsSplitOnOpen() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = db.createStatement()) {
            st.execute("CREATE TABLE dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL,"
                    + " payload BLOB NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL)");
            st.execute("INSERT INTO dead_letters(topic, payload, reason, at) VALUES"
                    + " ('zigbee2mqtt/r1/x', X'7B7D', 'unknown device', 5),"
                    + " ('ss/v1/s1/gw-1/batch', CAST('{\"kind\":\"reading\",\"record\":{}}' AS BLOB), 'batch gw-1-1-2: 0x99', 6)");
        }
        try (Outbox outbox = Outbox.open(file, OutboxLimits.defaults().withDisk(0, 0))) {
            assertThat(outbox.deadLetters(10)).singleElement().satisfies(letter -> {
                assertThat(letter.topic()).isEqualTo("zigbee2mqtt/r1/x");
                assertThat(new String(letter.payload(), StandardCharsets.UTF_8)).isEqualTo("{}");
                assertThat(letter.receivedAt()).isEqualTo(5);
            });
            assertThat(outbox.refusedBatches(10)).singleElement().satisfies(batch -> {
                assertThat(batch.topic()).isEqualTo("ss/v1/s1/gw-1/batch");
                assertThat(batch.reason()).isEqualTo("batch gw-1-1-2: 0x99");
                assertThat(batch.recordCount()).isEqualTo(1);
            });
        }
    }

    @Test
    void aFrameSeenWithinTheWindowIsSkippedAsARedelivery() throws Exception {
        try (Outbox outbox = open(OutboxLimits.defaults())) {
            byte[] digest = FrameDigest.of("esphome/r1/co2", "17", "812".getBytes(StandardCharsets.UTF_8));
            List<Reading> first = Records.co2("s1", "r1", 1);
            AppendResult once = outbox.appendFrames(List.of(new IntakeFrame(digest, false, Records.T0, first, List.of())), true);
            AppendResult twice = outbox.appendFrames(List.of(new IntakeFrame(digest.clone(), true, Records.T0 + 5_000,
                    Records.co2("s1", "r1", 1), List.of())), true);

            assertThat(once).isEqualTo(new AppendResult(1, 0, 0, null));
            assertThat(twice).isEqualTo(new AppendResult(0, 1, 0, null));
            assertThat(outbox.size()).isEqualTo(1);
        }
        try (Outbox outbox = Outbox.open(dir.resolve("short.db"), OutboxLimits.defaults().withDisk(0, 0)
                .withRedeliveryWindowMillis(0))) {
            byte[] digest = FrameDigest.of("esphome/r1/co2", "17", "812".getBytes(StandardCharsets.UTF_8));
            outbox.appendFrames(List.of(new IntakeFrame(digest, false, System.currentTimeMillis() - 10,
                    Records.co2("s1", "r1", 1), List.of())), true);
            // outside the window (0 ms): a second frame with the same bytes is a new reading
            AppendResult again = outbox.appendFrames(List.of(new IntakeFrame(digest, true, System.currentTimeMillis(),
                    Records.co2("s1", "r1", 1), List.of())), true);
            assertThat(again.appended()).isEqualTo(1);
        }
    }

    @Test
    void aFrameThatIsNotARedeliveryIsRecordedEvenWithAKnownDigest() throws Exception {
        try (Outbox outbox = open(OutboxLimits.defaults())) {
            byte[] digest = FrameDigest.of("esphome/r1/co2", "", "812".getBytes(StandardCharsets.UTF_8));
            List<IntakeFrame> frames = new ArrayList<>();
            frames.add(new IntakeFrame(digest, false, Records.T0, Records.co2("s1", "r1", 1), List.of()));
            outbox.appendFrames(frames, true);
            outbox.appendFrames(frames, true);
            assertThat(outbox.size()).isEqualTo(2);
        }
    }

    @Test
    void aFrameRecordedBeforeACrashIsRecognisedWhenTheBrokerRedeliversItAfterTheRestart() throws Exception {
        byte[] digest = FrameDigest.of("doors/r1/door-1", "42", "UID: 04 A2 2B 1C".getBytes(StandardCharsets.US_ASCII));
        try (Outbox before = open(OutboxLimits.defaults())) {
            for (int i = 0; i < 3; i++) { // other frames, other transactions
                before.appendFrames(List.of(new IntakeFrame(FrameDigest.of("t", Integer.toString(i), new byte[] {1}),
                        false, Records.T0, Records.co2("s1", "r" + i, 1), List.of())), true);
            }
            before.appendFrames(List.of(new IntakeFrame(digest, false, Records.T0, List.of(),
                    List.of(Records.doorOpen("s1", "r1", Records.T0)))), true);
        }
        try (Outbox after = open(OutboxLimits.defaults())) {
            AppendResult redelivered = after.appendFrames(List.of(new IntakeFrame(digest.clone(), true,
                    Records.T0 + 60_000, List.of(), List.of(Records.doorOpen("s1", "r1", Records.T0 + 60_000)))), true);

            assertThat(redelivered).isEqualTo(new AppendResult(0, 1, 0, null));
            assertThat(after.peek(10).events()).singleElement()
                    .satisfies(e -> assertThat(e.timestamp()).isEqualTo(Records.T0));
        }
    }
}

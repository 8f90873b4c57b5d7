package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.south.DeviceIntake;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.support.Poll;

/** Verifies what the wired sink does with each answer of the intake, a full outbox above all. */
@Timeout(30)
class WiredSinkTest {
    private static final DeviceRef DOOR = new DeviceRef("s1", "r101", "door-r101");
    private static final long NOW = 1_760_000_000_000L;

    /** An intake that says "full" a given number of times, then records. */
    static final class FullThenRecording implements DeviceIntake {
        final AtomicInteger fullLeft;
        final List<RawMessage> offered = new CopyOnWriteArrayList<>();
        final List<RawMessage> recorded = new CopyOnWriteArrayList<>();

        FullThenRecording(int full) {
            this.fullLeft = new AtomicInteger(full);
        }

        @Override
        public IntakeOutcome offer(RawMessage message) {
            offered.add(message);
            if (fullLeft.getAndDecrement() > 0) {
                return new IntakeOutcome.Full(Duration.ofMillis(50));
            }
            recorded.add(message);
            return new IntakeOutcome.Recorded(1);
        }
    }

    private WiredSink sink;

    @AfterEach
    void tearDown() {
        sink.close();
    }

    @Test
    void anEventIsOfferedAgainWhileTheOutboxIsFull() throws Exception {
        FullThenRecording intake = new FullThenRecording(3);
        sink = new WiredSink(intake);
        DeviceEvent open = DeviceEvent.of(DOOR, EventType.DOOR_OPEN, NOW, Map.of("contact", "door"));

        sink.records("door-r101", List.of(), List.of(open), NOW);

        Poll.until(Duration.ofSeconds(5), "the event recorded", () -> intake.recorded.size() == 1);
        assertThat(intake.offered).hasSize(4);
        assertThat(intake.recorded.get(0).topic()).isEqualTo("wired/door-r101/records");
        assertThat(new String(intake.recorded.get(0).payload(), StandardCharsets.UTF_8)).contains("\"type\":\"door_open\"");
        assertThat(sink.retried()).isEqualTo(3);
        assertThat(sink.dropped()).isZero();
        assertThat(sink.recorded()).isEqualTo(1);
    }

    @Test
    void readingsAndUartLinesAreDroppedAndCountedWhenTheOutboxIsFull() throws Exception {
        FullThenRecording intake = new FullThenRecording(2);
        sink = new WiredSink(intake);

        sink.records("air-r101", List.of(Reading.of(new DeviceRef("s1", "r101", "air-r101"), Quantity.CO2, 800, NOW)), List.of(), NOW);
        sink.line("reader-gate", "04A22B1C".getBytes(StandardCharsets.US_ASCII), NOW);
        Poll.until(Duration.ofSeconds(5), "both refused", () -> sink.dropped() == 2);
        // the path is live: the next message is recorded once there is room, and nothing was retried
        sink.line("reader-gate", "04A22B1D".getBytes(StandardCharsets.US_ASCII), NOW + 1);
        Poll.until(Duration.ofSeconds(5), "recorded", () -> sink.recorded() == 1);
        assertThat(intake.offered).hasSize(3);
        assertThat(sink.retried()).isZero();
        assertThat(new String(intake.recorded.get(0).payload(), StandardCharsets.US_ASCII)).isEqualTo("04A22B1D");
    }
}

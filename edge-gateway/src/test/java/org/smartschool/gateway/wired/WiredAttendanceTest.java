package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.gateway.alarm.SchoolRules;
import org.smartschool.gateway.attendance.DoorAttendance;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.config.WiredSettings;
import org.smartschool.gateway.outbox.JudgeChain;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.support.AttendanceFixture;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * Verifies that a card reader wired to the Pi's UART gets attendance's answer on its signal (green or
 * red GPIO output, Pi4J's mock provider), with a real outbox and the decision stored after the tap.
 */
@Timeout(60)
class WiredAttendanceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Outbox outbox;
    private Context context;
    private SimulatedSerialProvider serial;
    private WiredDevices wired;
    private final AtomicLong clock = new AtomicLong(AttendanceFixture.at("06:55"));

    @BeforeEach
    void setUp() {
        outbox = Outbox.open(dir.resolve("outbox.db"), 100_000, 1_000);
        serial = new SimulatedSerialProvider();
        context = Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(), serial)
                .build();
    }

    @AfterEach
    void tearDown() {
        if (wired != null) {
            wired.close();
        }
        outbox.close();
    }

    @Test
    void aWiredReaderShowsGreenForALearnerAndRedForAnUnknownCard() throws Exception {
        WiredSettings settings = new WiredSettings(true, "mock", null, List.of(), List.of(),
                List.of(new WiredSettings.Uart("reader-r101", "r101", "/dev/serial0", 9600, "card-reader", null)),
                List.of(new WiredSettings.Signal("reader-r101", 5, 6, null, 5_000L, 5_000L, null, null)), 3, 300, 600);
        SchoolRules rules = SchoolRules.open(outbox, RulesSettings.defaults().toRuleBook(), RulesSettings.defaults().toLessonHours());
        DoorAttendance door = DoorAttendance.open(outbox, AttendanceFixture.SCHOOL, "gw-wired", AttendanceFixture.plan());
        MessageIntake intake = new MessageIntake(WiredRoutes.router(AttendanceFixture.SCHOOL, settings, CodecRegistry.standard()),
                outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-wired"), 65536, JudgeChain.of(door, rules))
                .answeringTaps(door);
        wired = WiredDevices.start(settings, AttendanceFixture.SCHOOL, intake, context, true, null, clock::get, 1, 600);
        DigitalOutput green = context.registry().get("wired-reader-r101-green", DigitalOutput.class);
        DigitalOutput red = context.registry().get("wired-reader-r101-red", DigitalOutput.class);
        Poll.until(WAIT, "port open", () -> serial.opened("/dev/serial0"));

        serial.type("/dev/serial0", "04:A2:2B:01\r\n");
        Poll.until(WAIT, "green on", green::isHigh);
        assertThat(red.isLow()).isTrue();
        Poll.until(WAIT, "tap and decision stored", () -> outbox.peek(100).events().size() == 2);
        List<DeviceEvent> events = outbox.peek(100).events();
        assertThat(events).extracting(DeviceEvent::type).containsExactly(EventType.CARD_TAP, EventType.ATTENDANCE);
        assertThat(events.get(0).attributes()).doesNotContainKey("uid").containsEntry("attendance", "present");
        assertThat(events.get(1).attributes()).containsEntry("learner_id", AttendanceFixture.ON_TIME);

        clock.addAndGet(2_000);
        serial.type("/dev/serial0", AttendanceFixture.UNKNOWN_UID + "\r\n");
        Poll.until(WAIT, "red on", red::isHigh);
        assertThat(green.isLow()).as("a new answer replaces the one showing").isTrue();
        assertThat(door.counters().unknownCards()).isEqualTo(1);
    }
}

package org.smartschool.gateway.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.zigbee2mqtt.Zigbee2MqttCodec;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.outbox.DiskFullException;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxBatch;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.support.SmallFileSystem;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * Verifies the school's rules at the outbox's door: real intake, real outbox file, the default
 * rules with a room kind: alarms go into the outbox right after the readings that caused them,
 * survive a restart and a refused append under the same id.
 */
@Timeout(60)
class SchoolRulesIntakeTest {
    private static final long T0 = 1_760_000_000_000L;
    private static final long MINUTE = 60_000;
    private static final CodecRegistry CODECS = new CodecRegistry(List.of(new TestJsonCodec(), new Zigbee2MqttCodec()));
    private static final RulesSettings RULES = RulesSettings.defaults().withRoomKinds(Map.of("r101", "classroom"));

    @TempDir
    Path dir;
    private Outbox outbox;
    private SchoolRules rules;
    private MessageIntake intake;

    @AfterEach
    void tearDown() {
        if (outbox != null) {
            outbox.close();
        }
    }

    private void open(Path file, OutboxLimits limits) {
        outbox = Outbox.open(file, limits);
        rules = SchoolRules.open(outbox, RULES.toRuleBook(), RULES.toLessonHours());
        TopicRouter router = new TopicRouter("s1", List.of(new TopicRoute("sensors/{room}/{device}", TestJsonCodec.NAME),
                new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt")), CODECS);
        intake = new MessageIntake(router, outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-1"), 1024, rules);
    }

    private void open() {
        open(dir.resolve("outbox.db"), OutboxLimits.of(100_000, 100).withDisk(0, 0));
    }

    private static RawMessage co2(double ppm, long at) {
        return new RawMessage("sensors/r101/co2-1", null, ("{\"co2\":" + ppm + "}").getBytes(StandardCharsets.UTF_8), at);
    }

    /** Every row of the outbox in order, each as its readings or its events, emptying it. */
    private List<OutboxBatch> drainRows() {
        List<OutboxBatch> rows = new ArrayList<>();
        for (OutboxBatch row = outbox.peek(1); !row.isEmpty(); row = outbox.peek(1)) {
            rows.add(row);
            outbox.remove(row.lastSeq());
        }
        return rows;
    }

    private static List<AlarmTransition> alarms(List<OutboxBatch> rows) {
        List<AlarmTransition> out = new ArrayList<>();
        for (OutboxBatch row : rows) {
            for (DeviceEvent e : row.events()) {
                if (e.type() == EventType.ALARM) {
                    out.add(AlarmTransitions.fromEvent(e));
                }
            }
        }
        return out;
    }

    /** The curve of a classroom filling up and being aired: 800, then 1700 for 26 min, 950 for 30, 850. */
    private static List<RawMessage> curve() {
        List<RawMessage> out = new ArrayList<>();
        for (int m = 0; m <= 70; m++) {
            double ppm = m < 5 ? 800 : m <= 30 ? 1700 : m <= 60 ? 950 : 850;
            out.add(co2(ppm, T0 + m * MINUTE));
        }
        return out;
    }

    @Test
    void aCo2CurveRaisesOneAlarmChangesSeverityAndClearsWithHysteresisRightAfterItsReadings() throws Exception {
        open();
        for (RawMessage message : curve()) {
            intake.accept(List.of(message));
        }

        List<OutboxBatch> rows = drainRows();
        List<AlarmTransition> alarms = alarms(rows);
        String id = AlarmId.of("s1", "r101/co2-1", "co2", T0 + 5 * MINUTE);
        assertThat(alarms).extracting(AlarmTransition::alarmId).containsOnly(id);
        assertThat(alarms).extracting(t -> t.kind().id() + ":" + t.severity().id())
                .containsExactly("raised:warning", "severity_changed:major", "severity_changed:warning", "cleared:warning");
        // 950 ppm is below 1000 but within the hysteresis: the alarm clears only at 850
        assertThat(alarms.get(3).at()).isEqualTo(T0 + 61 * MINUTE);
        assertThat(alarms.get(0).raisedAt()).isEqualTo(T0 + 5 * MINUTE);
        // each alarm event is the row right after the row of the reading that caused it
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).events().isEmpty()) {
                assertThat(i).isPositive();
                List<Reading> before = rows.get(i - 1).readings();
                assertThat(before).as("row before the alarm event %s", rows.get(i).events()).hasSize(1);
                assertThat(before.get(0).timestamp()).isEqualTo(rows.get(i).events().get(0).timestamp());
            }
        }
        assertThat(rows.stream().mapToInt(r -> r.readings().size()).sum()).isEqualTo(71);
        assertThat(rules.activeAlarms()).isZero();
        assertThat(rules.transitions()).isEqualTo(4);
    }

    @Test
    void aRestartMidAlarmKeepsTheAlarmAndClearsItUnderTheSameId() throws Exception {
        open();
        List<RawMessage> curve = curve();
        for (RawMessage message : curve.subList(0, 40)) { // raised, major, back to warning
            intake.accept(List.of(message));
        }
        assertThat(rules.activeAlarms()).isEqualTo(1);
        outbox.close();

        open(); // a restarted gateway: new engine, state from the outbox file
        assertThat(rules.activeAlarms()).isEqualTo(1);
        assertThat(rules.trackCount()).isEqualTo(2); // co2 and co2-stuck of the one sensor
        for (RawMessage message : curve.subList(40, curve.size())) {
            intake.accept(List.of(message));
        }
        List<AlarmTransition> alarms = alarms(drainRows());
        assertThat(alarms).extracting(AlarmTransition::alarmId).containsOnly(AlarmId.of("s1", "r101/co2-1", "co2", T0 + 5 * MINUTE));
        assertThat(alarms).extracting(t -> t.kind().id())
                .containsExactly("raised", "severity_changed", "severity_changed", "cleared");
        assertThat(rules.activeAlarms()).isZero();
    }

    @Test
    void aDeliveryTheDiskRefusedIsJudgedAgainAndRaisesTheSameAlarm() throws Exception {
        try (SmallFileSystem disk = SmallFileSystem.mount(dir.resolve("small"), 8)) {
            long minFree = 2L * 1024 * 1024;
            open(disk.path().resolve("outbox.db"), OutboxLimits.of(100_000, 100).withDisk(minFree, 0));
            intake.accept(List.of(co2(800, T0)));
            Path filler = disk.path().resolve("filler");
            disk.fill(filler, disk.usable() - minFree + 64 * 1024);

            // the reading that raises the alarm: refused, so the broker keeps it
            assertThatThrownBy(() -> intake.accept(List.of(co2(1200, T0 + MINUTE)))).isInstanceOf(DiskFullException.class);
            assertThat(rules.activeAlarms()).isZero();
            assertThat(rules.transitions()).isZero();

            Files.delete(filler);
            intake.accept(List.of(co2(1200, T0 + MINUTE))); // delivered again
            List<AlarmTransition> alarms = alarms(drainRows());
            assertThat(alarms).extracting(t -> t.kind().id() + ":" + t.alarmId())
                    .containsExactly("raised:" + AlarmId.of("s1", "r101/co2-1", "co2", T0 + MINUTE));
            assertThat(rules.activeAlarms()).isEqualTo(1);
            outbox.close();
            outbox = null;
        }
    }

    @Test
    void aFullOutboxRefusesTheDeviceAndItsRetryRaisesTheSameAlarm() throws Exception {
        open(dir.resolve("outbox.db"), OutboxLimits.of(3, 100).withDisk(0, 0));
        intake.offer(co2(800, T0));
        // events are never dropped to make room: three door events leave none
        RawMessage door = new RawMessage("zigbee2mqtt/r101/door-1", null, "{\"contact\":false}".getBytes(StandardCharsets.UTF_8), T0);
        outbox.remove(outbox.peek(10).lastSeq());
        for (int i = 0; i < 3; i++) {
            assertThat(intake.offer(new RawMessage(door.topic(), null, door.payload(), T0 + i))).isInstanceOf(IntakeOutcome.Recorded.class);
        }
        assertThat(intake.offer(co2(1200, T0 + MINUTE))).isInstanceOf(IntakeOutcome.Full.class);
        assertThat(rules.transitions()).isZero();

        outbox.remove(outbox.peek(10).lastSeq()); // the hub took them
        assertThat(intake.offer(co2(1200, T0 + MINUTE))).isInstanceOf(IntakeOutcome.Recorded.class);
        assertThat(alarms(drainRows())).extracting(t -> t.kind().id() + ":" + t.alarmId())
                .containsExactly("raised:" + AlarmId.of("s1", "r101/co2-1", "co2", T0 + MINUTE));
    }

    @Test
    void aDetectorRepeatingItsStateIsStoredEachTimeButRaisesAndClearsOnce() throws Exception {
        open();
        for (String state : new String[] {"false", "true", "true", "true", "false", "false"}) {
            intake.offer(new RawMessage("zigbee2mqtt/lab1/smoke-1", null,
                    ("{\"smoke\":" + state + "}").getBytes(StandardCharsets.UTF_8), T0));
        }
        List<OutboxBatch> rows = drainRows();
        long alerts = rows.stream().flatMap(r -> r.events().stream()).filter(e -> e.type() == EventType.ALERT).count();
        assertThat(alerts).isEqualTo(6);
        assertThat(alarms(rows)).extracting(t -> t.kind().id() + ":" + t.rule() + ":" + t.severity().id())
                .containsExactly("raised:alert-smoke:critical", "cleared:alert-smoke:critical");
    }

    @Test
    void aSilentFridgeIsAlarmedByTheClockWithoutAReadingAndOnlyOnce() throws Exception {
        open();
        intake.offer(new RawMessage("sensors/lab1/fridge-1", null, "{\"temperature\":4.5}".getBytes(StandardCharsets.UTF_8), T0));
        assertThat(rules.clock(T0 + 14 * MINUTE)).isTrue();
        assertThat(rules.activeAlarms()).isZero();
        assertThat(rules.clock(T0 + 16 * MINUTE)).isTrue();
        assertThat(rules.clock(T0 + 17 * MINUTE)).isTrue();
        List<AlarmTransition> alarms = alarms(drainRows());
        assertThat(alarms).extracting(t -> t.kind().id() + ":" + t.rule() + ":" + t.alarmId())
                .containsExactly("raised:lab-fridge:" + AlarmId.of("s1", "lab1/fridge-1", "lab-fridge", T0 + 15 * MINUTE));
        assertThat(rules.activeAlarms()).isEqualTo(1);
    }
}

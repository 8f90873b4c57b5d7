package org.smartschool.gateway.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.outbox.IntakeFrame;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxBatch;

/**
 * Verifies that the rules' state and the outbox agree after a kill -9 in the middle of judged
 * appends: the state is written in the transaction of the records that changed it, so the alarm
 * the restarted gateway holds open is exactly the one the outbox says was raised and not cleared.
 */
@Timeout(60)
class SchoolRulesKillTest {
    @TempDir
    Path dir;

    @Test
    void afterAKillTheRulesGoOnFromExactlyWhatTheOutboxHolds() throws Exception {
        Path file = dir.resolve("killed.db");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                JudgedAppendingProcess.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < 301 && (line = out.readLine()) != null) {
                acknowledged = Integer.parseInt(line.substring("appended ".length()));
            }
            process.destroyForcibly(); // SIGKILL, mid-append most likely
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        try (Outbox reopened = Outbox.open(file, 1_000_000, 10)) {
            List<Reading> readings = new ArrayList<>();
            List<AlarmTransition> alarms = new ArrayList<>();
            for (OutboxBatch row : List.of(reopened.peek(1_000_000))) {
                readings.addAll(row.readings());
                for (DeviceEvent e : row.events()) {
                    if (e.type() == EventType.ALARM) {
                        alarms.add(AlarmTransitions.fromEvent(e));
                    }
                }
            }
            int stored = readings.size();
            assertThat(stored).isGreaterThanOrEqualTo(acknowledged);
            // a transition every second reading: 1300 raises at 1, 5, 9 ...; 800 clears at 3, 7, 11 ...
            assertThat(alarms).hasSize((stored + 1) / 2);
            AlarmTransition last = alarms.get(alarms.size() - 1);
            boolean open = last.kind() == AlarmTransition.Kind.RAISED;

            SchoolRules rules = SchoolRules.open(reopened, JudgedAppendingProcess.RULES.toRuleBook(),
                    JudgedAppendingProcess.RULES.toLessonHours());
            assertThat(rules.activeAlarms()).isEqualTo(open ? 1 : 0);
            reopened.remove(reopened.peek(1_000_000).lastSeq()); // the hub took them
            // the next reading goes on from there: it clears the open alarm under its id, or raises a new one
            int next = stored + 1;
            double value = open ? 800 : 1300;
            reopened.appendFrames(List.of(IntakeFrame.of(List.of(Reading.of(JudgedAppendingProcess.DEVICE, Quantity.CO2,
                    value, JudgedAppendingProcess.T0 + next * 1000L)), List.of())), true, rules);
            List<DeviceEvent> events = reopened.peek(100).events();
            assertThat(events).hasSize(1);
            AlarmTransition after = AlarmTransitions.fromEvent(events.get(0));
            if (open) {
                assertThat(after.kind()).isEqualTo(AlarmTransition.Kind.CLEARED);
                assertThat(after.alarmId()).isEqualTo(last.alarmId());
            } else {
                assertThat(after.kind()).isEqualTo(AlarmTransition.Kind.RAISED);
                assertThat(after.raisedAt()).isEqualTo(JudgedAppendingProcess.T0 + next * 1000L);
            }
        }
    }
}

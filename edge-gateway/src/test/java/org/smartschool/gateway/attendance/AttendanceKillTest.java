package org.smartschool.gateway.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.support.AttendanceFixture;

/**
 * Verifies that attendance and the outbox agree after a kill -9 in the middle of a morning's taps:
 * every decision a reader was answered for is in the outbox, and the restarted gateway, given every
 * tap again, decides only the learners it had not decided, each exactly once.
 */
@Timeout(90)
class AttendanceKillTest {
    @TempDir
    Path dir;

    @Test
    void afterAKillEveryLearnerIsDecidedExactlyOnce() throws Exception {
        Path file = dir.resolve("killed.db");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AttendanceTappingProcess.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int answered = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (answered < 120 && (line = out.readLine()) != null) {
                if (line.startsWith("tapped ")) {
                    answered = Integer.parseInt(line.substring("tapped ".length()));
                }
            }
            process.destroyForcibly(); // SIGKILL, mid-append most likely
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(answered).isEqualTo(120);

        try (Outbox reopened = Outbox.open(file, 1_000_000, 10)) {
            List<AttendanceMark> before = marks(reopened);
            Set<String> decided = new HashSet<>();
            before.forEach(m -> decided.add(m.learnerId()));
            assertThat(decided).as("one decision per learner").hasSize(before.size());
            assertThat(before.size()).as("every answered tap's decision survived").isGreaterThanOrEqualTo(answered)
                    .as("killed in the middle of the morning").isLessThan(AttendanceTappingProcess.LEARNERS);

            DoorAttendance door = DoorAttendance.open(reopened, AttendanceFixture.SCHOOL, "gw-kill",
                    AttendanceFixture.plan(AttendanceFixture.many(AttendanceTappingProcess.LEARNERS)));
            MessageIntake intake = AttendanceTappingProcess.intake(reopened, door);
            int duplicates = 0;
            for (int i = 0; i < AttendanceTappingProcess.LEARNERS; i++) {
                IntakeOutcome outcome = intake.offer(AttendanceTappingProcess.tap(i));
                TapOutcome o = ((IntakeOutcome.Recorded) outcome).answers().get(0).outcome();
                if (o == TapOutcome.DUPLICATE) {
                    duplicates++;
                } else {
                    assertThat(o).isIn(TapOutcome.PRESENT, TapOutcome.LATE);
                }
            }
            assertThat(duplicates).as("the decisions made before the kill").isEqualTo(before.size());
            List<AttendanceMark> after = marks(reopened);
            assertThat(after).hasSize(AttendanceTappingProcess.LEARNERS);
            assertThat(after).extracting(AttendanceMark::learnerId).doesNotHaveDuplicates();
            assertThat(after).extracting(AttendanceMark::eventId).doesNotHaveDuplicates();
            assertThat(after.subList(0, before.size())).isEqualTo(before);
        }
    }

    private static List<AttendanceMark> marks(Outbox outbox) {
        List<AttendanceMark> out = new ArrayList<>();
        for (DeviceEvent e : outbox.peek(1_000_000).events()) {
            if (e.type() == EventType.ATTENDANCE) {
                out.add(AttendanceMarks.fromEvent(e));
            }
        }
        return out;
    }
}

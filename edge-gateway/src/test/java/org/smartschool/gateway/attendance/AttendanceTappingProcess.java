package org.smartschool.gateway.attendance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.alarm.SchoolRules;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.outbox.JudgeChain;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.support.AttendanceFixture;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * A gateway's attendance in a process of its own, to be killed: taps every learner of
 * {@link AttendanceFixture#many} once, printing {@code tapped N} after each tap the outbox committed
 * (what a reader was answered for).
 */
public final class AttendanceTappingProcess {
    static final int LEARNERS = 400;

    private AttendanceTappingProcess() {
    }

    static MessageIntake intake(Outbox outbox, DoorAttendance door) {
        SchoolRules rules = SchoolRules.open(outbox, RulesSettings.defaults().toRuleBook(), RulesSettings.defaults().toLessonHours());
        return new MessageIntake(new TopicRouter(AttendanceFixture.SCHOOL,
                List.of(new TopicRoute("readers/{room}/{device}", "card-reader")), CodecRegistry.standard()),
                outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-kill"), 1024, JudgeChain.of(door, rules))
                .answeringTaps(door);
    }

    static RawMessage tap(int i) {
        int room = i % AttendanceFixture.MANY_CLASSES;
        return new RawMessage("readers/r" + room + "/reader-" + room, null,
                AttendanceFixture.manyUid(i).getBytes(StandardCharsets.US_ASCII), AttendanceFixture.at("06:40") + i * 5_000L);
    }

    public static void main(String[] args) throws Exception {
        try (Outbox outbox = Outbox.open(Path.of(args[0]), 1_000_000, 10)) {
            DoorAttendance door = DoorAttendance.open(outbox, AttendanceFixture.SCHOOL, "gw-kill",
                    AttendanceFixture.plan(AttendanceFixture.many(LEARNERS)));
            MessageIntake intake = intake(outbox, door);
            for (int i = 0; i < LEARNERS; i++) {
                IntakeOutcome outcome = intake.offer(tap(i));
                if (outcome instanceof IntakeOutcome.Recorded) {
                    System.out.println("tapped " + (i + 1));
                    System.out.flush();
                }
            }
            Thread.sleep(60_000); // killed before
        }
    }
}

package org.smartschool.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.alarm.SchoolRules;
import org.smartschool.gateway.attendance.AttendancePlan;
import org.smartschool.gateway.attendance.AttendanceRegister;
import org.smartschool.gateway.attendance.DoorAttendance;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.desired.DesiredConfigParser;
import org.smartschool.gateway.outbox.JudgeChain;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * On demand, not a test: how long a door reader waits for its answer (issue 9: p99 at most 20 ms).
 * A school of {@code LEARNERS} learners in 30 classes (30 doors), every learner tapping once between
 * 06:40 and 07:20, then each tapping again (duplicates). Two figures:
 * <ul>
 *   <li><b>tap -> answer</b>: what the reader waits for, one tap per call as a CoAP or wired reader
 *       sends it: card-reader decode, the decision, the tap (card hash) and the attendance event and
 *       the decision's state committed to the real outbox (SQLite WAL, synchronous=FULL: one fsync),
 *       the school's rules judging too;</li>
 *   <li><b>decision alone</b>: {@link AttendanceRegister#tap} (hash, look-up, timetable match).</li>
 * </ul>
 *
 * <pre>
 * java ... org.smartschool.gateway.bench.AttendanceDecisionBenchmark [DIR] [LEARNERS]
 * </pre>
 */
public final class AttendanceDecisionBenchmark {
    private static final byte[] KEY = "benchmark-card-key-of-32-bytes!!".getBytes(StandardCharsets.US_ASCII);
    private static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final int CLASSES = 30;

    private AttendanceDecisionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("attendance-bench");
        int learners = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        AttendancePlan plan = plan(learners);
        long start = DAY.atTime(6, 40).atZone(ZONE).toInstant().toEpochMilli();
        long spacing = 40 * 60_000L / learners;

        AttendanceRegister register = new AttendanceRegister("thcs-bench", "gw-bench");
        register.mark();
        register.replace(plan, start - 3_600_000L);
        register.commit();
        for (int round = 0; round < 3; round++) { // decisions alone, warmed up twice
            AttendanceRegister r = new AttendanceRegister("thcs-bench", "gw-bench");
            r.mark();
            r.replace(plan, start - 3_600_000L);
            r.commit();
            long[] nanos = new long[learners];
            for (int i = 0; i < learners; i++) {
                long t0 = System.nanoTime();
                r.mark();
                r.tap("r" + (i % CLASSES), "reader-" + (i % CLASSES), uid(i), start + i * spacing);
                r.commit();
                nanos[i] = System.nanoTime() - t0;
            }
            print("decision alone, round " + round, nanos);
        }

        for (int round = 0; round < 2; round++) {
            Path file = dir.resolve("outbox-" + round + ".db");
            try (Outbox outbox = Outbox.open(file, OutboxLimits.of(1_000_000, 100).withDisk(0, 0))) {
                SchoolRules rules = SchoolRules.open(outbox, RulesSettings.defaults().toRuleBook(),
                        RulesSettings.defaults().toLessonHours());
                DoorAttendance door = DoorAttendance.open(outbox, "thcs-bench", "gw-bench", plan);
                MessageIntake intake = new MessageIntake(new TopicRouter("thcs-bench",
                        List.of(new TopicRoute("readers/{room}/{device}", "card-reader")), CodecRegistry.standard()),
                        outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-bench"), 1024, JudgeChain.of(door, rules))
                        .answeringTaps(door);
                for (int pass = 0; pass < 2; pass++) { // first taps, then everybody again (duplicates)
                    long[] nanos = new long[learners];
                    for (int i = 0; i < learners; i++) {
                        int room = i % CLASSES;
                        RawMessage tap = new RawMessage("readers/r" + room + "/reader-" + room, null,
                                uid(i).getBytes(StandardCharsets.US_ASCII), start + i * spacing + pass * 90_000L);
                        long t0 = System.nanoTime();
                        IntakeOutcome outcome = intake.offer(tap);
                        nanos[i] = System.nanoTime() - t0;
                        if (!(outcome instanceof IntakeOutcome.Recorded r) || r.answers().size() != 1) {
                            throw new IllegalStateException("tap " + i + " not answered: " + outcome);
                        }
                    }
                    print("tap -> answer with the outbox commit, round " + round + (pass == 0 ? ", first taps" : ", duplicates"), nanos);
                }
                System.out.printf("  counters: %s%n", door.counters().asMap());
            }
        }
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-62s n=%d p50 %.3f ms  p99 %.3f ms  max %.3f ms%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99) - 1] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static String uid(int i) {
        return String.format("04%06X", i);
    }

    static AttendancePlan plan(int learners) {
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            classes.add("{\"id\": \"c" + c + "\", \"room\": \"r" + c + "\", \"sessions\": [\"morning\"]}");
        }
        List<String> roster = new ArrayList<>();
        for (int i = 0; i < learners; i++) {
            roster.add("{\"id\": \"" + String.format("0792%08d", i) + "\", \"class\": \"c" + (i % CLASSES)
                    + "\", \"cards\": [\"" + CardHash.of(KEY, uid(i)) + "\"]}");
        }
        String json = "{\"version\": 1, \"attendance\": {\"cardKey\": {\"id\": \"k\", \"secret\": \"base64:"
                + Base64.getEncoder().encodeToString(KEY) + "\"}, \"days\": [\"THURSDAY\"], \"classes\": ["
                + String.join(",", classes) + "], \"learners\": [" + String.join(",", roster) + "]}}";
        return new DesiredConfigParser("thcs-bench", CodecRegistry.standard()).parse(json.getBytes(StandardCharsets.UTF_8))
                .attendance().orElseThrow();
    }
}

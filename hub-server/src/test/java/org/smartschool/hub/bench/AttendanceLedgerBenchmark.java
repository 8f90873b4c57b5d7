package org.smartschool.hub.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookSubscription;
import org.smartschool.hub.state.JdbcAttendanceLedger;
import org.smartschool.hub.state.JdbcWebhookStore;
import org.smartschool.hub.state.StateDatabase;

/**
 * On demand, not a test: the attendance ledger's transaction alone, the part of the PUBACK path that holds the
 * SQLite state database's one writer lock (event id once, webhook delivery queued, slot and count moved, the
 * group's counts read back; {@code synchronous=FULL}). {@code threads} store threads (one per gateway connection)
 * each record {@code batches} batches of {@code perBatch} new decisions (learners' first decisions of the day) and
 * then, in a second pass, a correction of each (late after the absence: the slot exists); one webhook
 * subscription. Prints decisions/s and the time of one {@code record} call (a batch, group commit included).
 * Runs the same against any build of the ledger (the figures of two builds are compared run against run).
 *
 * <pre>
 * java -cp ... org.smartschool.hub.bench.AttendanceLedgerBenchmark [threads=10] [batches=200] [perBatch=5]
 * </pre>
 */
public final class AttendanceLedgerBenchmark {
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    private AttendanceLedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int perBatch = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("attendance-ledger");
        StateDatabase db = StateDatabase.open(StateConfig.sqlite(dir.resolve("hub-state.db")));
        try {
            JdbcAttendanceLedger ledger = new JdbcAttendanceLedger(db, school -> false, Clock.systemUTC(), () -> { });
            new JdbcWebhookStore(db).putSubscription(new WebhookSubscription("sms", URI.create("http://127.0.0.1:9/sms"), null,
                    Set.of("attendance.*"), null, List.of(WebhookSecret.parse(WebhookSecret.generate(new SecureRandom()))), null, 1L));
            for (String pass : List.of("first decisions", "corrections")) {
                boolean correction = pass.equals("corrections");
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<long[]>> running = new ArrayList<>();
                long started = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    running.add(pool.submit(() -> {
                        long[] nanos = new long[batches];
                        for (int b = 0; b < batches; b++) {
                            List<AttendanceEvent> events = new ArrayList<>(perBatch);
                            for (int i = 0; i < perBatch; i++) {
                                long learner = ((long) thread * batches + b) * perBatch + i;
                                String id = String.format("0792%08d", learner);
                                events.add(new AttendanceEvent((correction ? "att-c-" : "att-a-") + learner, "bench-s" + thread,
                                        id, "c" + (learner % 40), DAY, "morning", null,
                                        correction ? AttendanceCategory.LATE : AttendanceCategory.UNEXCUSED_ABSENCE,
                                        1_796_260_000_000L + (correction ? 3_600_000L : 0) + learner));
                            }
                            long t0 = System.nanoTime();
                            ledger.record(events);
                            nanos[b] = System.nanoTime() - t0;
                        }
                        return nanos;
                    }));
                }
                long[] all = new long[threads * batches];
                int n = 0;
                for (Future<long[]> f : running) {
                    for (long v : f.get()) {
                        all[n++] = v;
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                pool.shutdown();
                Arrays.sort(all);
                System.out.printf("%-16s %d threads x %d batches x %d: %.0f decisions/s; record() p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        pass, threads, batches, perBatch, threads * batches * perBatch / seconds, all[all.length / 2] / 1e6,
                        all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6, all[all.length - 1] / 1e6);
            }
            System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            db.close();
        }
    }

    static {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.smartschool")).setLevel(ch.qos.logback.classic.Level.WARN);
    }
}

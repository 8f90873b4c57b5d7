package org.smartschool.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.state.JdbcHubState;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.testsupport.TestPostgres;

/**
 * Batch-id recording on the ingest path ({@link JdbcHubState#recordBatch}: one call per stored batch, from the
 * store's 32 threads): calls/s on SQLite (a temporary file) and, when {@code SS_TEST_PG_URL} is set, PostgreSQL
 * (a throw-away database), median of the rounds after a warm-up. Run on demand, not a test:
 * <pre>
 * ./mvnw -q -o -pl hub-server -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp hub-server/target/test-classes:hub-server/target/classes:$(cat /tmp/cp.txt) \
 *     org.smartschool.hub.bench.HubStateBenchmark [CALLS_PER_ROUND] [THREADS] [GATEWAYS]
 * </pre>
 */
public final class HubStateBenchmark {
    private static final int ROUNDS = 3;

    private HubStateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int gateways = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path dir = Files.createTempDirectory("hub-state-bench");
        run("SQLite", StateConfig.sqlite(dir.resolve("hub-state.db")), calls, threads, gateways);
        String pg = System.getenv(TestPostgres.URL_VARIABLE);
        if (pg != null && !pg.isBlank()) {
            try (TestPostgres postgres = TestPostgres.create("statebench")) {
                run("PostgreSQL", new StateConfig(postgres.url(), "", "", 8), calls, threads, gateways);
            }
        } else {
            System.out.println("PostgreSQL: skipped (" + TestPostgres.URL_VARIABLE + " not set)");
        }
    }

    private static void run(String name, StateConfig config, int calls, int threads, int gateways) throws Exception {
        try (JdbcHubState state = JdbcHubState.open(config, Clock.systemUTC())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                double[] rates = new double[ROUNDS];
                round(state, pool, "warm-up", Math.max(1_000, calls / 4), threads, gateways);
                for (int r = 0; r < ROUNDS; r++) {
                    rates[r] = round(state, pool, "r" + r, calls, threads, gateways);
                }
                double[] sorted = rates.clone();
                Arrays.sort(sorted);
                System.out.printf("%s: recordBatch %,.0f calls/s median of %d rounds (%,.0f-%,.0f), %d threads, %d gateways,"
                                + " %,d calls a round; replays checked: %d stored again as replayed%n", name,
                        sorted[ROUNDS / 2], ROUNDS, sorted[0], sorted[ROUNDS - 1], threads, gateways, calls,
                        replays(state, gateways));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static double round(JdbcHubState state, ExecutorService pool, String round, int calls, int threads,
                                int gateways) throws Exception {
        AtomicLong next = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                long i;
                while ((i = next.getAndIncrement()) < calls) {
                    int gateway = (int) (i % gateways);
                    if (state.recordBatch(batch(gateway, round + "-" + i)) != BatchOutcome.STORED) {
                        throw new IllegalStateException("a new batch id counted as a replay: " + round + "-" + i);
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    private static int replays(JdbcHubState state, int gateways) {
        int replayed = 0;
        for (int i = 0; i < 10; i++) {
            if (state.recordBatch(batch(i % gateways, "r0-" + i)) == BatchOutcome.REPLAYED) {
                replayed++;
            }
        }
        return replayed;
    }

    private static Batch batch(int gateway, String id) {
        return new Batch(id, "gw-" + gateway, "school-" + gateway, List.of(), List.of());
    }
}

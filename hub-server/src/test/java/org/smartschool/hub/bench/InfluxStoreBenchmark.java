package org.smartschool.hub.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.InfluxConfig;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * How fast the InfluxDB store writes school batches (40 rooms x 7 quantities = 280 readings, 40
 * points of 7 fields), with 1 and then 4 batches in flight, as the hub's store workers write them.
 * A benchmark run on demand, not a test: it needs {@code SS_TEST_INFLUX_URL} and drops its database.
 *
 * <p>Run: {@code ./mvnw -q -pl hub-server -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * -Dmdep.includeScope=test && java -cp hub-server/target/test-classes:hub-server/target/classes:$(cat /tmp/cp.txt)
 * org.smartschool.hub.bench.InfluxStoreBenchmark [batches per round]}
 */
public final class InfluxStoreBenchmark {
    private static final Quantity[] QUANTITIES = {Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY,
        Quantity.ILLUMINANCE, Quantity.NOISE, Quantity.PM25, Quantity.VOC};
    private static final int ROOMS = 40;

    private InfluxStoreBenchmark() {
    }

    /** School {@code school}'s snapshot at {@code time}. */
    static Batch snapshot(int school, long time) {
        String id = String.format(Locale.ROOT, "school-%03d", school);
        List<Reading> readings = new ArrayList<>();
        for (int room = 1; room <= ROOMS; room++) {
            DeviceRef device = new DeviceRef(id, "r" + room, "multi-r" + room);
            for (int q = 0; q < QUANTITIES.length; q++) {
                readings.add(Reading.of(device, QUANTITIES[q], 20 + (room * 7 + q + school) % 50 + 0.25, time + room * 37L));
            }
        }
        return new Batch("gw-" + id + "-" + time, "gw-" + id, id, readings, List.of());
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        String url = TestInflux.url();
        String database = TestInflux.uniqueDatabase(InfluxStoreBenchmark.class);
        InfluxConfig config = InfluxConfig.DEFAULT.withUrl(url).withDatabase(database);
        long start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(12, ChronoUnit.HOURS).toEpochMilli();
        try (InfluxTimeSeriesStore store = InfluxTimeSeriesStore.open(config)) {
            run(store, 1, 200, start - 3_600_000L); // warm-up: JIT, connections, shard creation
            for (int threads : new int[] {1, 4}) {
                double[] rates = new double[3];
                for (int round = 0; round < rates.length; round++) {
                    rates[round] = run(store, threads, batches, start + round * 3_600_000L + threads * 10L);
                }
                Arrays.sort(rates);
                System.out.printf(Locale.ROOT, "%d in flight: %,.0f readings/s median of 3 rounds (%,.0f-%,.0f), %d batches of 280%n",
                        threads, rates[1], rates[0], rates[2], batches);
            }
            System.out.printf(Locale.ROOT, "write retries %d, failed batches %d%n",
                    store.writeCounts().retries(), store.writeCounts().failed());
        } finally {
            TestInflux.dropDatabase(url, database);
        }
    }

    /** Writes {@code batches} snapshots of 100 schools every 10 s from {@code time}; returns readings per second. */
    private static double run(InfluxTimeSeriesStore store, int threads, int batches, long time) throws Exception {
        List<Batch> work = new ArrayList<>(batches);
        for (int i = 0; i < batches; i++) {
            work.add(snapshot(i % 100, time + (i / 100) * 10_000L));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> writes = new ArrayList<>();
            for (Batch batch : work) {
                writes.add(pool.submit(() -> store.write(batch)));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return batches * 280.0 / seconds;
        } finally {
            pool.shutdownNow();
        }
    }
}

package org.smartschool.hub.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.alarm.CompletenessRule;
import org.smartschool.hub.config.HubRulesConfig;

/**
 * What the data-completeness rule adds to each stored batch (it runs on the ingest's store threads): grouping a
 * batch's readings into distinct times per device, then counting them under the rule's lock. Batches of 2,002
 * readings (a school of 286 devices with 7 quantities each at one time); 1 and 4 threads; the median of 5 rounds.
 * Run on demand, not a test:
 * <pre>
 * ./mvnw -q -pl hub-server -am test-compile -DskipTests
 * java -cp hub-server/target/classes:hub-server/target/test-classes:firmware-bridge/target/classes \
 *   org.smartschool.hub.bench.HubRulesIngestCost
 * </pre>
 */
public final class HubRulesIngestCost {
    private static final int BATCHES = 20_000;
    private static final int ROUNDS = 5;
    private static final Quantity[] QUANTITIES = {Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY,
            Quantity.ILLUMINANCE, Quantity.NOISE, Quantity.CO2, Quantity.TEMPERATURE};

    private HubRulesIngestCost() {
    }

    public static void main(String[] args) throws Exception {
        List<Batch> batches = new ArrayList<>();
        long t0 = System.currentTimeMillis();
        for (int school = 0; school < 16; school++) {
            List<Reading> readings = new ArrayList<>();
            for (int d = 0; d < 286; d++) {
                DeviceRef device = new DeviceRef("school-" + school, "r" + d / 7, "dev-" + d);
                for (Quantity q : QUANTITIES) {
                    readings.add(Reading.of(device, q, 1, t0 + d));
                }
            }
            batches.add(new Batch("b-" + school, "gw-" + school, "school-" + school, readings, List.of()));
        }
        int readingsPerBatch = batches.get(0).readings().size();
        for (int threads : new int[] {1, 4}) {
            double[] nsPerReading = new double[ROUNDS + 1];
            for (int round = 0; round <= ROUNDS; round++) {
                CompletenessRule rule = new CompletenessRule(HubRulesConfig.DEFAULT);
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                long start = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < BATCHES / threads; i++) {
                            Batch b = batches.get((i + offset) % batches.size());
                            rule.stored(b.school(), CompletenessRule.distinctTimes(b), t0);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                nsPerReading[round] = (double) (System.nanoTime() - start) / ((long) BATCHES * readingsPerBatch);
                pool.shutdown();
            }
            // round 0 warms up
            double[] measured = Arrays.copyOfRange(nsPerReading, 1, ROUNDS + 1);
            Arrays.sort(measured);
            double median = measured[ROUNDS / 2];
            System.out.printf("%d thread(s): %.1f ns per reading (median of %d rounds), %.0f us per batch of %d readings,"
                            + " ceiling %.1f M readings/s%n", threads, median, ROUNDS, median * readingsPerBatch / 1000,
                    readingsPerBatch, 1000 / median);
        }
    }
}

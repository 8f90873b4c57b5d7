package org.smartschool.gateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.outbox.IntakeFrame;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxBatch;
import org.smartschool.gateway.outbox.OutboxLimits;

/**
 * On demand, not a test: a day-long outage of a 40-room school held in the outbox, then handed to
 * the uplink. Fills a real outbox (SQLite WAL, synchronous=FULL) with READINGS readings as the
 * intake writes them (Zigbee2MQTT air sensors: one device message of 7 quantities a row, 1000
 * messages a transaction), prints the file's bytes per reading, then times what the uplink does
 * with them, without the network: {@code peek(BATCH)} and {@code remove(lastSeq)} until the outbox
 * is empty. Goal: the outbox alone feeds at least 50,000 readings/s; 2.4 M readings in <= 100 MB.
 *
 * <pre>
 * ./mvnw -q -pl edge-gateway -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp edge-gateway/target/classes:edge-gateway/target/test-classes:$(cat edge-gateway/target/test.classpath) \
 *     org.smartschool.gateway.bench.OutboxReplayBenchmark [DIR] [READINGS] [BATCH] [ROUNDS]
 * </pre>
 */
public final class OutboxReplayBenchmark {
    private static final int ROOMS = 40;
    private static final int GROUP = 1000;
    private static final Quantity[] AIR = {Quantity.TEMPERATURE, Quantity.HUMIDITY, Quantity.CO2, Quantity.PM25,
        Quantity.NOISE, Quantity.ILLUMINANCE, Quantity.VOC};

    private OutboxReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("outbox-replay-bench");
        int readings = args.length > 1 ? Integer.parseInt(args[1]) : 2_419_200; // 40 rooms x 7 quantities, every 10 s, 24 h
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500; // uplink.batchMaxRecords' default
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        System.out.printf("outbox replay benchmark: %,d readings (7 a message, %d messages a transaction), peek(%d) + remove,"
                + " %d rounds, outbox in %s; load average %s%n", readings, GROUP, batch, rounds, dir, loadAverage());
        double[] fill = new double[rounds];
        double[] drain = new double[rounds];
        double[] perReading = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            Path file = dir.resolve("replay-" + round + ".db");
            try (Outbox outbox = Outbox.open(file, OutboxLimits.defaults().withMaxRecords(10_000_000).withDisk(0, 0))) {
                long t0 = System.nanoTime();
                long start = System.currentTimeMillis() - 86_400_000L;
                int made = 0;
                for (int message = 0; made < readings; ) {
                    List<IntakeFrame> group = new ArrayList<>(GROUP);
                    for (int i = 0; i < GROUP && made < readings; i++, message++) {
                        group.add(IntakeFrame.of(airMessage(message, start), List.of()));
                        made += AIR.length;
                    }
                    outbox.appendFrames(group, true);
                }
                fill[round] = made / ((System.nanoTime() - t0) / 1e9);
                long db = Files.size(file);
                Path walFile = Path.of(file + "-wal");
                long wal = Files.exists(walFile) ? Files.size(walFile) : 0;
                perReading[round] = (db + wal) / (double) outbox.size();

                long drained = 0;
                long t1 = System.nanoTime();
                while (true) {
                    OutboxBatch peeked = outbox.peek(batch);
                    if (peeked.isEmpty()) {
                        break;
                    }
                    outbox.remove(peeked.lastSeq());
                    drained += peeked.size();
                }
                drain[round] = drained / ((System.nanoTime() - t1) / 1e9);
                if (drained != made || outbox.size() != 0) {
                    throw new IllegalStateException("appended " + made + ", drained " + drained + ", left " + outbox.size());
                }
                System.out.printf("  round %d: filled at %,.0f readings/s; file %,d + WAL %,d bytes = %.1f bytes a reading"
                        + " (2.4 M -> %.0f MB); peek + remove %,.0f readings/s; load average %s%n", round, fill[round], db,
                        wal, perReading[round], perReading[round] * 2_400_000 / 1e6, drain[round], loadAverage());
            }
            for (String suffix : List.of("", "-wal", "-shm", ".lock", ".reserve")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
        Arrays.sort(fill);
        Arrays.sort(drain);
        Arrays.sort(perReading);
        System.out.printf("median of %d rounds: %.1f bytes a reading (2.4 M -> %.0f MB, goal <= 100); filled at %,.0f readings/s;"
                + " peek(%d) + remove %,.0f readings/s (goal >= 50,000; rounds %,.0f to %,.0f)%n", rounds,
                perReading[rounds / 2], perReading[rounds / 2] * 2_400_000 / 1e6, fill[rounds / 2], batch, drain[rounds / 2],
                drain[0], drain[rounds - 1]);
    }

    /** One air sensor's message: 7 quantities at one instant, values that vary as a room's do. */
    private static List<Reading> airMessage(int i, long start) {
        DeviceRef device = new DeviceRef("bench-school", "r" + (100 + i % ROOMS), "air-1");
        long time = start + (i / ROOMS) * 10_000L + i % ROOMS * 250L;
        double[] values = {20 + i % 100 / 10.0, 40 + i % 50, 400 + i % 1600, i % 80, 30 + i % 40 + 0.5, i % 900, i % 500};
        List<Reading> out = new ArrayList<>(AIR.length);
        for (int q = 0; q < AIR.length; q++) {
            out.add(Reading.of(device, AIR[q], values[q], time));
        }
        return out;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}

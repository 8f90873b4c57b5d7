package org.smartschool.hub.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.smartschool.hub.store.influx.InfluxSchema;
import org.smartschool.hub.store.influx.IndexedInfluxStore;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * What the overview's queries cost on a database of a few million points: {@code rooms()} and
 * {@code latestValues()} of the InfluxDB store (behind {@code /api/v1/schools} and {@code /api/v1/schools/{s}/rooms}),
 * median of 5 calls after a warm-up. Fills the database (line protocol straight to {@code /write}: SCHOOLS x ROOMS
 * rooms, one device each with CO2, temperature and humidity, POINTS_PER_SERIES points spread over DAYS days up to
 * now) unless it exists; {@code --keep} leaves it for the next run (before/after a change). Run on demand:
 * <pre>
 * SS_TEST_INFLUX_URL=http://127.0.0.1:28086 java -cp hub-server/target/test-classes:hub-server/target/classes:$(cat /tmp/cp.txt) \
 *     org.smartschool.hub.bench.InfluxLatestQueryBenchmark [DATABASE] [SCHOOLS] [ROOMS] [POINTS_PER_SERIES] [DAYS] [--keep] [--unbounded]
 * </pre>
 */
public final class InfluxLatestQueryBenchmark {
    private InfluxLatestQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = TestInflux.url();
        String database = args.length > 0 ? args[0] : "ss_bench_latest";
        int schools = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rooms = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int perSeries = args.length > 3 ? Integer.parseInt(args[3]) : 750;
        int days = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        boolean keep = Arrays.asList(args).contains("--keep");
        InfluxRawWriter raw = new InfluxRawWriter(url, database);
        String existing = TestInflux.query(url, database, "SELECT count(\"co2\") FROM \"" + InfluxSchema.RAW_POLICY + "\".\"reading\"");
        if (!existing.contains("\"count\"")) {
            raw.createDatabase();
            long now = System.currentTimeMillis();
            long step = days * 86_400_000L / perSeries;
            long start = System.nanoTime();
            List<String> chunk = new ArrayList<>();
            long points = 0;
            for (int p = 0; p < perSeries; p++) {
                long t = now - (perSeries - p) * step;
                for (int s = 0; s < schools; s++) {
                    for (int r = 0; r < rooms; r++) {
                        chunk.add("reading,school=school-" + s + ",room=r" + r + ",room_kind=classroom,device=r" + r
                                + "-air co2=" + (500 + (p + r) % 900) + ",temperature=" + (24 + r % 7) + ",humidity="
                                + (55 + s % 20) + " " + t);
                        points++;
                        if (chunk.size() == 5_000) {
                            raw.write(String.join("\n", chunk).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            chunk.clear();
                        }
                    }
                }
            }
            if (!chunk.isEmpty()) {
                raw.write(String.join("\n", chunk).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            System.out.printf("filled %s: %,d points (%,d series) over %d days in %.1f s%n", database, points,
                    (long) schools * rooms, days, (System.nanoTime() - start) / 1e9);
        } else {
            System.out.println("using the existing database " + database);
        }
        boolean unbounded = Arrays.asList(args).contains("--unbounded");
        try (InfluxTimeSeriesStore store = InfluxTimeSeriesStore.open(TestInflux.config(url, database));
             IndexedInfluxStore indexed = new IndexedInfluxStore(InfluxTimeSeriesStore.open(TestInflux.config(url, database)),
                     java.time.Clock.systemUTC())) {
            time("store rooms() (SHOW SERIES)", () -> store.rooms().size());
            time("store latestValuesSince(now - 1 day)", () -> store.latestValuesSince(System.currentTimeMillis() - 86_400_000L).size());
            time("store latestValuesSince(now - 60 s) (the index's refresh)", () -> store.latestValuesSince(System.currentTimeMillis() - 60_000L).size());
            if (unbounded) {
                // before: what /api/v1/schools ran on every call (fails with the store's read timeout on a big database)
                time("store latestValues() unbounded", () -> store.latestValues().size());
            }
            time("index seed (rooms + 1 day of latest values)", () -> {
                indexed.seedNow();
                return indexed.latestValues().size();
            });
            time("index rooms()", () -> indexed.rooms().size());
            time("index latestValues()", () -> indexed.latestValues().size());
        } finally {
            if (!keep) {
                TestInflux.dropDatabase(url, database);
            }
        }
    }

    private static void time(String what, java.util.function.IntSupplier call) {
        int size = call.getAsInt();
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            size = call.getAsInt();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%s: %,.1f ms median of %d (%,.1f-%,.1f), %,d results%n", what, ms[ms.length / 2], ms.length,
                ms[0], ms[ms.length - 1], size);
    }
}

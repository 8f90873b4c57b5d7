package org.smartschool.hub.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vertx.core.Vertx;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * How fast {@code GET /api/v1/readings?format=csv} streams one room's CO2 readings (3 devices, one
 * reading each every second) out of a running hub, read by a client that discards the bytes, and the
 * heap the hub holds afterwards. SQLite always; InfluxDB too when {@code SS_TEST_INFLUX_URL} is set
 * (its database is dropped). A benchmark run on demand, not a test.
 *
 * <p>Run (classpath as in {@link InfluxStoreBenchmark}): {@code java -Xmx256m -cp ... org.smartschool.hub.bench.CsvExportBenchmark [readings]}
 */
public final class CsvExportBenchmark {
    private CsvExportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int readings = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        Path dir = Files.createTempDirectory("csv-bench");
        run("sqlite", org.smartschool.hub.testsupport.TestStores.sqlite(dir.resolve("a-data").resolve("sqlite.db")), dir.resolve("a"), readings);
        if (System.getenv(TestInflux.URL_VARIABLE) != null) {
            String url = TestInflux.url();
            String database = TestInflux.uniqueDatabase(CsvExportBenchmark.class);
            try {
                run("influx", org.smartschool.hub.testsupport.TestStores.with(InfluxTimeSeriesStore.open(TestInflux.config(url, database)),
                        dir.resolve("b-data").resolve("store.db"), Clock.systemUTC()), dir.resolve("b"), readings);
            } finally {
                TestInflux.dropDatabase(url, database);
            }
        }
    }

    private static void run(String kind, HubStore store, Path dir, int count) throws Exception {
        Files.createDirectories(dir);
        long span = (count / 3 + 1) * 1_000L;
        // in the past and within InfluxDB's 90-day raw retention
        long t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS).toEpochMilli() - span;
        List<Reading> batch = new ArrayList<>();
        int batches = 0;
        for (int i = 0; i < count; i++) {
            batch.add(Reading.of(new DeviceRef(HubFixture.SCHOOL_1, "r1", "co2-" + i % 3), Quantity.CO2, 400 + i % 800,
                    t0 + (i / 3) * 1_000L));
            if (batch.size() == 5_000 || i == count - 1) {
                store.storeBatch(new Batch("bench-" + (++batches), HubFixture.GATEWAY_1, HubFixture.SCHOOL_1, batch, List.of()));
                batch = new ArrayList<>();
            }
        }
        Vertx vertx = Vertx.vertx();
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir), store);
        try {
            String path = "/api/v1/readings?format=csv&school=" + HubFixture.SCHOOL_1 + "&room=r1&quantity=co2&from="
                    + Instant.ofEpochMilli(t0) + "&to=" + Instant.ofEpochMilli(t0 + span);
            HttpClient client = HttpClient.newHttpClient();
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofInputStream());
                long bytes = 0;
                long lines = 0;
                byte[] buffer = new byte[65_536];
                try (InputStream in = response.body()) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        bytes += n;
                        for (int k = 0; k < n; k++) {
                            lines += buffer[k] == '\n' ? 1 : 0;
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.gc();
                long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                System.out.printf(Locale.ROOT, "%s round %d: %d rows, %.1f MB in %.2f s: %.0f rows/s; heap after %d MB of max %d MB%n",
                        kind, round, lines - 1, bytes / 1e6, seconds, (lines - 1) / seconds, heap >> 20,
                        Runtime.getRuntime().maxMemory() >> 20);
            }
        } finally {
            HubFixture.await(hub.close());
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}

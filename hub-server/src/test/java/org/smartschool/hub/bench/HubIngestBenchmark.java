package org.smartschool.hub.bench;

import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.vertx.core.Vertx;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * How fast one gateway's batches are stored end to end (Paho publish, decode, SQLite commit with
 * synchronous=FULL, PUBACK), one batch in flight at a time as the gateway sends them. A benchmark
 * run on demand (README, "Performance"), not a test: timing depends on the machine and its load.
 *
 * <p>Run: {@code ./mvnw -q -DskipTests install && ./mvnw -q -pl hub-server test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.smartschool.hub.bench.HubIngestBenchmark}
 */
public final class HubIngestBenchmark {
    private static final Quantity[] QUANTITIES = {Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY,
        Quantity.ILLUMINANCE, Quantity.NOISE, Quantity.PM25, Quantity.VOC};
    private static final int WARM_UP_BATCHES = 20;
    private static final int MEASURED_BATCHES = 300;
    private static final int ROUNDS = 3;

    private HubIngestBenchmark() {
    }

    /** A 40-room school's snapshot: 40 rooms x 7 quantities = 280 readings, as a gateway batches every 10 s. */
    static Batch snapshot(int n, long time) {
        List<Reading> readings = new ArrayList<>();
        for (int room = 1; room <= 40; room++) {
            DeviceRef device = new DeviceRef(SCHOOL_1, "r" + room, "multi-r" + room);
            for (int q = 0; q < QUANTITIES.length; q++) {
                readings.add(Reading.of(device, QUANTITIES[q], 20 + (room * 7 + q + n) % 50, time + room * 37L));
            }
        }
        return new Batch(GATEWAY_1 + "-" + (n * 280 + 1) + "-" + (n * 280 + 280), GATEWAY_1, SCHOOL_1, readings, List.of());
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("hub-ingest-bench");
        Vertx vertx = Vertx.vertx();
        HubConfig config = HubFixture.config(dir).withMqtt(new MqttConfig("127.0.0.1", 0, MqttConfig.ONE_MIB));
        Hub hub = HubFixture.start(vertx, config);
        double[] readingsPerSecond = new double[ROUNDS];
        int sent = 0;
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            for (int i = 0; i < WARM_UP_BATCHES; i++) { // JIT, SQLite page cache
                send(gateway, sent++);
            }
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < MEASURED_BATCHES; i++) {
                    send(gateway, sent++);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                readingsPerSecond[round] = MEASURED_BATCHES * 280 / seconds;
            }
            double stored = Http.admin(hub).metric("hub_readings_stored_total");
            if (stored != sent * 280.0) {
                throw new IllegalStateException("the hub counted " + stored + " readings stored, expected " + sent * 280);
            }
        } finally {
            HubFixture.await(hub.close());
            HubFixture.await(vertx.close());
        }
        Arrays.sort(readingsPerSecond);
        double median = readingsPerSecond[ROUNDS / 2];
        System.out.printf(Locale.ROOT, "| hub ingest, one gateway, one 280-reading batch in flight, SQLite synchronous=FULL"
                        + " | %.0f readings/s (median of %d rounds, range %.0f-%.0f; %.1f ms per batch)"
                        + " | HubIngestBenchmark | %d cores, Java %s, %s |%n",
                median, ROUNDS, readingsPerSecond[0], readingsPerSecond[ROUNDS - 1], 280_000 / median,
                Runtime.getRuntime().availableProcessors(), Runtime.version().feature(), LocalDate.now());
    }

    private static void send(TestGateway gateway, int n) throws Exception {
        int reason = gateway.sendBatch(snapshot(n, 1_741_568_400_000L + n * 10_000L)).reasonCode();
        if (reason != 0) {
            throw new IllegalStateException("batch " + n + " refused with reason code " + reason);
        }
    }
}

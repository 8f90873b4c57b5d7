package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
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
 * synchronous=FULL, PUBACK), one batch in flight at a time as the gateway sends them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IngestThroughputTest {
    private static final Quantity[] QUANTITIES = {Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY,
        Quantity.ILLUMINANCE, Quantity.NOISE, Quantity.PM25, Quantity.VOC};

    /** A 40-room school's snapshot: 40 rooms x 7 quantities = 280 readings, as a gateway batches every 10 s. */
    private static Batch snapshot(int n, long time) {
        List<Reading> readings = new ArrayList<>();
        for (int room = 1; room <= 40; room++) {
            DeviceRef device = new DeviceRef(SCHOOL_1, "r" + room, "multi-r" + room);
            for (int q = 0; q < QUANTITIES.length; q++) {
                readings.add(Reading.of(device, QUANTITIES[q], 20 + (room * 7 + q + n) % 50, time + room * 37L));
            }
        }
        return new Batch(GATEWAY_1 + "-" + (n * 280 + 1) + "-" + (n * 280 + 280), GATEWAY_1, SCHOOL_1, readings, List.of());
    }

    /** Verifies, and prints, that one gateway's sequential batches are stored far faster than a school produces them. */
    @Test
    void storesSequentialSchoolBatchesFasterThanASchoolProducesThem(Vertx vertx, @TempDir Path dir) throws Exception {
        HubConfig config = HubFixture.config(dir).withMqtt(new MqttConfig("127.0.0.1", 0, MqttConfig.ONE_MIB));
        Hub hub = HubFixture.start(vertx, config);
        int batches = 150;
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            for (int i = 0; i < 10; i++) { // warm-up: JIT, SQLite page cache
                assertThat(gateway.sendBatch(snapshot(i, 1_741_568_400_000L + i * 10_000L)).reasonCode()).isZero();
            }
            long start = System.nanoTime();
            for (int i = 10; i < 10 + batches; i++) {
                assertThat(gateway.sendBatch(snapshot(i, 1_741_568_400_000L + i * 10_000L)).reasonCode()).isZero();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double perSecond = batches / seconds;
            System.out.printf("hub ingest, one gateway, one batch in flight, 280 readings per batch, SQLite synchronous=FULL:"
                    + " %.0f batches/s = %.0f readings/s (%.1f ms per batch)%n", perSecond, perSecond * 280, 1000 / perSecond);
            assertThat(new Http(hub.httpPort()).metric("hub_readings_stored_total")).isEqualTo((batches + 10) * 280.0);
            // a school produces 28 readings/s; the gateway's one connection must carry hundreds of schools' worth
            assertThat(perSecond * 280).isGreaterThan(2_800);
        } finally {
            HubFixture.await(hub.close());
        }
    }
}

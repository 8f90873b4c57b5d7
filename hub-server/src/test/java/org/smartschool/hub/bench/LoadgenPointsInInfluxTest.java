package org.smartschool.hub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.hub.loadgen.GatewayCredential;
import org.smartschool.hub.loadgen.PreparedBatch;
import org.smartschool.hub.loadgen.SchoolBatches;
import org.smartschool.hub.store.RoomKinds;
import org.smartschool.hub.store.influx.InfluxPoints;

/**
 * The ingest benchmark's raw part stays honest: the points the InfluxDB store renders for loadgen's batches
 * ({@link InfluxPoints#lineProtocol}, what the benchmark sends straight to {@code /write}) are accepted by a
 * real InfluxDB ({@code SS_TEST_INFLUX_URL}) and hold every reading and event, none overwriting another
 * (loadgen's smoke detectors send a smoke and a tamper alert at one instant).
 */
class LoadgenPointsInInfluxTest {

    /** Verifies that InfluxDB stores one field value per reading and one event point per event of the batches. */
    @Test
    void influxStoresEveryReadingAndEventOfTheRenderedPoints() throws Exception {
        String url = influxUrl();
        GatewayCredential gateway = new GatewayCredential("loadgen-gw-0001", "x", "bench-points-test");
        List<PreparedBatch> batches = SchoolBatches.prepare(gateway, 3_000, new SchoolBatches.Shape(6, 400, 3),
                // a day ago: inside the raw retention policy (90 days) the store's points go to
                System.currentTimeMillis() / 3_600_000L * 3_600_000L - 86_400_000L);
        InfluxPoints points = new InfluxPoints(RoomKinds.NONE);
        StringBuilder lines = new StringBuilder();
        long readings = 0;
        long events = 0;
        for (PreparedBatch prepared : batches) {
            Batch batch = new BatchCodec().decode(prepared.frame());
            lines.append(points.lineProtocol(batch));
            readings += batch.readings().size();
            events += batch.events().size();
        }
        InfluxRawWriter influx = new InfluxRawWriter(url, "ss_bench_points_test_" + System.nanoTime());
        influx.createDatabase();
        try {
            influx.write(lines.toString().getBytes(StandardCharsets.UTF_8));

            assertThat(sumOfCounts(influx.select("SELECT count(*) FROM reading"))).isEqualTo(readings);
            assertThat(sumOfCounts(influx.select("SELECT count(id) FROM event"))).isEqualTo(events);
            assertThat(readings).isEqualTo(3_000);
            assertThat(events).isPositive();
        } finally {
            influx.dropDatabase();
        }
    }

    /** The sum of every count column of a one-row InfluxQL answer. */
    private static long sumOfCounts(String json) {
        JsonArray values = new JsonObject(json).getJsonArray("results").getJsonObject(0).getJsonArray("series")
                .getJsonObject(0).getJsonArray("values").getJsonArray(0);
        long sum = 0;
        for (int i = 1; i < values.size(); i++) { // column 0 is the time
            sum += values.getLong(i);
        }
        return sum;
    }

    private static String influxUrl() {
        String url = System.getenv("SS_TEST_INFLUX_URL");
        if (url == null || url.isBlank()) {
            String message = "no InfluxDB for the benchmark's points: set SS_TEST_INFLUX_URL (e.g. http://127.0.0.1:8086)";
            if ("1".equals(System.getenv("SS_TEST_REQUIRE_SERVICES"))) {
                Assertions.fail(message + " (SS_TEST_REQUIRE_SERVICES=1: required, not skipped)");
            }
            Assumptions.abort(message);
        }
        return url;
    }
}

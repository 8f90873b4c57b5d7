package org.smartschool.hub.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;

/** The batches of one simulated gateway, without any network. */
class SchoolBatchesTest {
    private static final GatewayCredential GATEWAY = new GatewayCredential("loadgen-gw-0001", "x", "thcs-sim");
    private static final long START = 1_764_723_600_000L; // 2025-12-03T01:00:00Z, 08:00 at the school

    /**
     * Verifies that the batches hold exactly the readings asked for, no two with the same series and
     * timestamp (each is a new point), in batches of at most the given size, with distinct ids in the
     * protocol's {@code gateway-first-last} form, and that every frame decodes to its batch.
     */
    @Test
    void exactlyTheReadingsAskedForAsNewPointsInBoundedBatches() throws Exception {
        List<PreparedBatch> batches = SchoolBatches.prepare(GATEWAY, 5_003, new SchoolBatches.Shape(8, 250, 7), START);

        BatchCodec codec = new BatchCodec();
        Set<String> points = new HashSet<>();
        Set<String> ids = new HashSet<>();
        int readings = 0;
        int events = 0;
        for (PreparedBatch prepared : batches) {
            Batch batch = codec.decode(prepared.frame());
            assertThat(batch.batchId()).isEqualTo(prepared.batchId()).matches("loadgen-gw-0001-\\d+-\\d+");
            assertThat(ids.add(batch.batchId())).isTrue();
            assertThat(batch.size()).isLessThanOrEqualTo(250);
            assertThat(batch.readings()).hasSize(prepared.readings());
            assertThat(batch.events()).hasSize(prepared.events());
            assertThat(batch.gatewayId()).isEqualTo("loadgen-gw-0001");
            assertThat(batch.school()).isEqualTo("thcs-sim");
            for (Reading r : batch.readings()) {
                assertThat(points.add(r.room() + "/" + r.device() + "/" + r.quantity() + "/" + r.timestamp()))
                        .as("reading %s is a new point", r).isTrue();
                assertThat(r.timestamp()).isGreaterThanOrEqualTo(START - 60_000);
            }
            readings += batch.readings().size();
            events += batch.events().size();
        }
        assertThat(readings).isEqualTo(5_003);
        assertThat(events).isPositive(); // the cameras' people counts come along, as from a real gateway
        // 8 rooms send about 7 readings per second: 5,003 readings span about 12 simulated minutes
        assertThat(points.stream().mapToLong(p -> Long.parseLong(p.substring(p.lastIndexOf('/') + 1))).max().orElseThrow())
                .isBetween(START + 8 * 60_000L, START + 20 * 60_000L);
    }

    /** Verifies that the same gateway, shape and start give the same bytes, and another start other points. */
    @Test
    void deterministicForOneStartAndDifferentForAnother() {
        SchoolBatches.Shape shape = new SchoolBatches.Shape(3, 100, 1);
        List<PreparedBatch> once = SchoolBatches.prepare(GATEWAY, 700, shape, START);
        List<PreparedBatch> again = SchoolBatches.prepare(GATEWAY, 700, shape, START);
        List<PreparedBatch> later = SchoolBatches.prepare(GATEWAY, 700, shape, START + 3_600_000);

        assertThat(again).hasSameSizeAs(once);
        for (int i = 0; i < once.size(); i++) {
            assertThat(again.get(i).frame()).isEqualTo(once.get(i).frame());
        }
        assertThat(later.get(0).batchId()).isNotEqualTo(once.get(0).batchId());
        assertThat(later.get(0).frame()).isNotEqualTo(once.get(0).frame());
    }
}

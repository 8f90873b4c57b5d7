package org.smartschool.hub.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;

/** {@link Liveness#samples}: what a batch says about each device, whatever the order of its readings. */
class LivenessSamplesTest {
    private static final String SCHOOL = "school-a";
    private static final long T = 1_800_000_000_000L;

    private static Reading reading(String room, String device, Quantity q, long time) {
        return new Reading(SCHOOL, room, device, q, 1.5, q.unit(), time);
    }

    private static Batch batch(List<Reading> readings) {
        return new Batch("b-1", "gw-1", SCHOOL, readings, List.of());
    }

    @Test
    void aDeviceWhoseTimeColumnRepeatsPerQuantityCountsEachTimeOnce() {
        List<Reading> readings = new ArrayList<>();
        for (Quantity q : List.of(Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY)) {
            for (int i = 0; i < 5; i++) {
                readings.add(reading("r1", "d1", q, T + i * 10_000L));
            }
        }
        assertThat(Liveness.samples(batch(readings)))
                .containsExactly(new Liveness.DeviceSample(SCHOOL, "r1", "d1", T, T + 40_000, 5));
    }

    @Test
    void readingsOutOfOrderAndADeviceInTwoRunsGiveItsSpanDistinctTimesAndNewestRoom() {
        List<Reading> readings = List.of(
                reading("r1", "d1", Quantity.CO2, T + 30_000),
                reading("r1", "d1", Quantity.CO2, T + 10_000),
                reading("r2", "d2", Quantity.CO2, T + 5_000),
                // d1 again, moved to room r9 with its newest reading; a time between two seen ones, and a repeat
                reading("r9", "d1", Quantity.TEMPERATURE, T + 20_000),
                reading("r9", "d1", Quantity.TEMPERATURE, T + 10_000),
                reading("r9", "d1", Quantity.TEMPERATURE, T),
                reading("r9", "d1", Quantity.TEMPERATURE, T + 40_000));
        assertThat(Liveness.samples(batch(readings))).containsExactly(
                new Liveness.DeviceSample(SCHOOL, "r9", "d1", T, T + 40_000, 5),
                new Liveness.DeviceSample(SCHOOL, "r2", "d2", T + 5_000, T + 5_000, 1));
    }

    @Test
    void ofEqualNewestTimesTheLaterReadingNamesTheRoom() {
        List<Reading> readings = List.of(
                reading("r1", "d1", Quantity.CO2, T + 1_000),
                reading("r2", "d1", Quantity.TEMPERATURE, T + 1_000));
        assertThat(Liveness.samples(batch(readings)))
                .containsExactly(new Liveness.DeviceSample(SCHOOL, "r2", "d1", T + 1_000, T + 1_000, 1));
    }

    @Test
    void manyDescendingTimesStaySortedAndDistinct() {
        List<Reading> readings = new ArrayList<>();
        for (int i = 99; i >= 0; i--) {
            readings.add(reading("r1", "d1", Quantity.CO2, T + i * 1_000L));
            readings.add(reading("r1", "d1", Quantity.TEMPERATURE, T + i * 1_000L));
        }
        Liveness.DeviceSample s = Liveness.samples(batch(readings)).get(0);
        assertThat(s).isEqualTo(new Liveness.DeviceSample(SCHOOL, "r1", "d1", T, T + 99_000, 100));
        assertThat(s.meanGap()).isEqualTo(1_000.0);
    }
}

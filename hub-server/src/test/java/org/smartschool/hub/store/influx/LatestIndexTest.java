package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.RoomRef;

/** {@link LatestIndex}: a batch at once leaves what offering its readings one by one would. */
class LatestIndexTest {
    private static final String SCHOOL = "school-a";
    private static final long T = 1_800_000_000_000L;

    private static Reading reading(String room, String device, Quantity q, double value, long time) {
        return new Reading(SCHOOL, room, device, q, value, q.unit(), time);
    }

    private static LatestValue value(Reading r) {
        return new LatestValue(r.school(), r.room(), r.quantity(), r.device(), r.value(), r.timestamp());
    }

    @Test
    void ofEqualTimesTheFirstStaysAndANewerBatchReplacesIt() {
        LatestIndex index = new LatestIndex();
        index.offer(new Batch("b-1", "gw-1", SCHOOL, List.of(
                reading("r1", "d1", Quantity.CO2, 700, T + 1_000),
                reading("r1", "d2", Quantity.CO2, 800, T + 1_000),
                reading("r1", "d1", Quantity.CO2, 650, T)), List.of()));
        assertThat(index.latestValues()).containsExactly(new LatestValue(SCHOOL, "r1", Quantity.CO2, "d1", 700, T + 1_000));

        index.offer(new Batch("b-2", "gw-1", SCHOOL, List.of(
                reading("r1", "d2", Quantity.CO2, 900, T + 1_000),
                reading("r1", "d2", Quantity.CO2, 910, T + 2_000)), List.of()));
        assertThat(index.latestValues()).containsExactly(new LatestValue(SCHOOL, "r1", Quantity.CO2, "d2", 910, T + 2_000));
        assertThat(index.rooms()).containsExactly(new RoomRef(SCHOOL, "r1"));
    }

    @Test
    void randomBatchesGiveWhatReadingByReadingGives() {
        Random random = new Random(7);
        Quantity[] quantities = {Quantity.CO2, Quantity.TEMPERATURE, Quantity.HUMIDITY};
        for (int round = 0; round < 200; round++) {
            LatestIndex byBatch = new LatestIndex();
            LatestIndex byReading = new LatestIndex();
            for (int b = 0; b < 3; b++) {
                List<Reading> readings = new ArrayList<>();
                int runs = 1 + random.nextInt(6);
                for (int run = 0; run < runs; run++) {
                    // rooms come back in later runs, devices share rooms, times repeat
                    String room = "r" + random.nextInt(3);
                    String device = "d" + random.nextInt(4);
                    for (int i = random.nextInt(8); i >= 0; i--) {
                        readings.add(reading(room, device, quantities[random.nextInt(quantities.length)],
                                random.nextInt(1000), T + random.nextInt(5) * 1_000L));
                    }
                }
                List<DeviceEvent> events = random.nextBoolean() ? List.of()
                        : List.of(new DeviceEvent("e-" + round + "-" + b, SCHOOL, "hall-" + random.nextInt(2), "door-1",
                                EventType.DOOR_OPEN, T, Map.of()));
                byBatch.offer(new Batch("b-" + b, "gw-1", SCHOOL, readings, events));
                readings.forEach(r -> byReading.offer(value(r)));
                events.forEach(e -> byReading.addRoom(new RoomRef(e.school(), e.room())));
            }
            assertThat(byBatch.latestValues()).as("round %d", round).isEqualTo(byReading.latestValues());
            assertThat(byBatch.rooms()).as("round %d", round).isEqualTo(byReading.rooms());
        }
    }
}

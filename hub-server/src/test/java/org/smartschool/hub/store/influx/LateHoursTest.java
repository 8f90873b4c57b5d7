package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.influx.LateHours.SchoolHour;

/** Which school-hours need their hourly means computed again. */
class LateHoursTest {
    private static final long HOUR = LateHours.HOUR_MILLIS;
    private static final long NOW = 1_796_280_000_000L + 30 * 60_000; // 30 min past an hour

    private static Batch batch(String school, long... times) {
        DeviceRef device = new DeviceRef(school, "r1", "co2-1");
        List<Reading> readings = java.util.Arrays.stream(times).mapToObj(t -> Reading.of(device, Quantity.CO2, 500, t)).toList();
        return new Batch("b-" + times[0], "gw", school, readings, List.of());
    }

    /** Verifies that only readings older than the continuous query's window are noted, once per school and hour, and drained once. */
    @Test
    void notesEachLateSchoolHourOnce() {
        LateHours late = new LateHours(() -> NOW, 5 * HOUR, 100);
        long hourStart = NOW - NOW % HOUR;

        late.note(batch("s1", NOW - 10 * 60_000, NOW - 4 * HOUR));
        late.note(batch("s1", NOW - 8 * HOUR, NOW - 8 * HOUR + 60_000, NOW - 9 * HOUR));
        late.note(batch("s2", NOW - 8 * HOUR));

        assertThat(late.drain()).containsExactly(new SchoolHour("s1", hourStart - 8 * HOUR),
                new SchoolHour("s1", hourStart - 9 * HOUR), new SchoolHour("s2", hourStart - 8 * HOUR));
        assertThat(late.drain()).isEmpty();
    }

    /** Verifies that past its bound it counts the hours it leaves out instead of growing. */
    @Test
    void isBounded() {
        LateHours late = new LateHours(() -> NOW, 5 * HOUR, 2);

        late.note(batch("s1", NOW - 6 * HOUR, NOW - 7 * HOUR, NOW - 8 * HOUR));
        late.note(batch("s1", NOW - 6 * HOUR));

        assertThat(late.drain()).hasSize(2);
        assertThat(late.dropped()).isEqualTo(1);
    }
}

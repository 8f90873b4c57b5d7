package org.smartschool.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevicesSeenTest {
    @Test
    void keepsTheLatestTimeOfEachDevice() {
        DevicesSeen seen = new DevicesSeen(10);
        seen.seen("r1/a", 100);
        seen.seen("r1/a", 300);
        seen.seen("r1/a", 200); // a late message does not move the time back
        seen.seen("r2/b", 150);

        assertThat(seen.snapshot()).containsExactly(java.util.Map.entry("r1/a", 300L), java.util.Map.entry("r2/b", 150L));
    }

    @Test
    void forgetsTheDeviceHeardFromLongestAgoPastItsCapacity() {
        DevicesSeen seen = new DevicesSeen(3);
        seen.seen("a", 10);
        seen.seen("b", 20);
        seen.seen("c", 30);
        seen.seen("d", 40);
        seen.seen("b", 50);
        seen.seen("e", 60);

        assertThat(seen.snapshot()).containsOnlyKeys("b", "d", "e");
    }
}

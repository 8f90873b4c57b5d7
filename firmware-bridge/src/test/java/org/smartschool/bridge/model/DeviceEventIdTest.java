package org.smartschool.bridge.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class DeviceEventIdTest {
    private static final DeviceRef DOOR = new DeviceRef("thpt-le-loi", "r2-07", "door-r2-07");
    private static final long T = 1_741_568_461_234L;

    /** The id scheme events were stored under before the digest was kept per thread: ids must not change. */
    private static String referenceId(DeviceRef device, EventType type, long timestamp, Map<String, String> attributes) {
        StringBuilder key = new StringBuilder(device.toString()).append('|').append(type.id()).append('|').append(timestamp);
        new TreeMap<>(attributes).forEach((k, v) -> {
            if (!PersonalData.isPersonal(k)) {
                key.append('|').append(k).append('=').append(v);
            }
        });
        return UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void keepsTheNameBasedUuidOfTheEventsContent() {
        Map<String, String> tap = Map.of("uid", "04:A2:3B:1C:5D:80", "reader", "in", "format", "uid_bytes");
        Map<String, String> count = Map.of("kind", "people_count", "count", "38", "zone", "Phòng học 2-07");

        assertThat(DeviceEvent.of(DOOR, EventType.CARD_TAP, T, tap).id()).isEqualTo(referenceId(DOOR, EventType.CARD_TAP, T, tap));
        assertThat(DeviceEvent.of(DOOR, EventType.PEOPLE_COUNT, T, count).id())
                .isEqualTo(referenceId(DOOR, EventType.PEOPLE_COUNT, T, count));
        assertThat(DeviceEvent.of(DOOR, EventType.DOOR_OPEN, T, Map.of()).id())
                .isEqualTo(referenceId(DOOR, EventType.DOOR_OPEN, T, Map.of()));
    }
}

package org.smartschool.bridge.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class AlarmIdTest {

    @Test
    void theSameRaiseGivesTheSameIdAndAnyOtherPartChangesIt() {
        String id = AlarmId.of("s1", "r101/r101-air", "co2", 1_796_600_000_000L);
        assertEquals(id, AlarmId.of("s1", "r101/r101-air", "co2", 1_796_600_000_000L));
        assertNotEquals(id, AlarmId.of("s2", "r101/r101-air", "co2", 1_796_600_000_000L));
        assertNotEquals(id, AlarmId.of("s1", "r102/r101-air", "co2", 1_796_600_000_000L));
        assertNotEquals(id, AlarmId.of("s1", "r101/r101-air", "co2-stuck", 1_796_600_000_000L));
        assertNotEquals(id, AlarmId.of("s1", "r101/r101-air", "co2", 1_796_600_000_001L), "a re-raise is a new alarm");
        // the separator keeps parts from running into each other
        assertNotEquals(AlarmId.of("s1", "a/b", "c", 1), AlarmId.of("s1", "a", "b/c", 1));
    }

    @Test
    void itIsAVersion8UuidOverSha256() {
        UUID uuid = UUID.fromString(AlarmId.of("s1", "r101/r101-air", "co2", 1_796_600_000_000L));
        assertEquals(8, uuid.version());
        assertEquals(2, uuid.variant());
        // computed independently (Python: hashlib.sha256(b"s1\nr101/r101-air\nco2\n1796600000000"), first 16
        // bytes, version and variant bits set), so a change of derivation, which would split the ids of
        // gateways on an older version from the hub's, fails here
        assertEquals("3cc3888c-aeda-8363-94f3-a240ebfcada8", uuid.toString());
    }

    @Test
    void anIdNeedsItsParts() {
        assertThrows(IllegalArgumentException.class, () -> AlarmId.of("s1", "", "co2", 1));
        assertThrows(IllegalArgumentException.class, () -> AlarmId.of("s1", "r/d", " ", 1));
        assertThrows(IllegalArgumentException.class, () -> AlarmId.of("bad school", "r/d", "co2", 1));
    }
}

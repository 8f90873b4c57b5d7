package org.smartschool.bridge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Shared ids are one instance per value, only ever valid ones, and a shared instance passes the id check by identity. */
class SharedIdsTest {

    @Test
    void equalIdsShareOneInstance() {
        String first = SharedIds.of(new String("room-shared-1"));
        String second = SharedIds.of(new String("room-shared-1"));
        assertThat(second).isEqualTo("room-shared-1").isSameAs(first);
        assertThat(SharedIds.holds(first)).isTrue();
    }

    @Test
    void anInvalidIdIsNeverShared() {
        for (String bad : new String[] {"bad id", "", "-dash-first", "a/b", "x".repeat(65), "d1 "}) {
            assertThat(SharedIds.of(bad)).as("'%s'", bad).isNull();
            assertThat(SharedIds.holds(bad)).as("'%s'", bad).isFalse();
        }
        assertThat(SharedIds.of(null)).isNull();
    }

    @Test
    void theIdCheckStillRefusesWhatWasNeverShared() {
        String shared = SharedIds.of(new String("device-shared-7"));
        // an equal copy is not the shared instance: checked character by character, and valid
        assertThat(Ids.require("device", new String("device-shared-7"))).isEqualTo(shared);
        assertThat(Ids.require("device", shared)).isSameAs(shared);
        assertThatThrownBy(() -> Ids.require("device", "device shared 7")).isInstanceOf(InvalidIdException.class)
                .hasMessageContaining("invalid device id");
        assertThatThrownBy(() -> new Reading("s1", "r1", "bad device", Quantity.CO2, 400, Quantity.CO2.unit(), 1L))
                .isInstanceOf(InvalidIdException.class).hasMessageContaining("device");
    }
}

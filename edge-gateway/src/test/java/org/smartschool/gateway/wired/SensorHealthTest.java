package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.smartschool.gateway.mqtt.Backoff;

/** Verifies when a sensor counts as offline and how long the gateway waits before trying it again. */
class SensorHealthTest {

    @Test
    void goesOfflineAfterTheConfiguredFailuresInARowAndBacksOff() {
        SensorHealth h = new SensorHealth(3, Backoff.equalJitter(1_000, 8_000, new Random(1)));
        assertThat(h.failed("I2C error", 5_000)).isEqualTo(new SensorHealth.Outcome(SensorHealth.Transition.NONE, 5_000));
        assertThat(h.failed("I2C error", 5_000).transition()).isEqualTo(SensorHealth.Transition.NONE);
        SensorHealth.Outcome third = h.failed("I2C error", 5_000);
        assertThat(third.transition()).isEqualTo(SensorHealth.Transition.WENT_OFFLINE);
        assertThat(third.nextDelayMillis()).isBetween(500L, 1_000L);
        assertThat(h.online()).isFalse();
        long previous = third.nextDelayMillis();
        long waited = 0;
        for (int i = 0; i < 6; i++) {
            SensorHealth.Outcome o = h.failed("I2C error", 5_000);
            assertThat(o.transition()).isEqualTo(SensorHealth.Transition.NONE);
            assertThat(o.nextDelayMillis()).isBetween(500L, 8_000L);
            waited = o.nextDelayMillis();
        }
        assertThat(waited).isGreaterThanOrEqualTo(4_000L).isGreaterThan(previous); // the wait grew to the cap
        assertThat(h.failures()).isEqualTo(9);
        assertThat(h.lastProblem()).isEqualTo("I2C error");
    }

    @Test
    void aGoodReadBringsItBackAndResetsTheCount() {
        SensorHealth h = new SensorHealth(1, Backoff.equalJitter(1_000, 8_000, new Random(1)));
        assertThat(h.failed("data never ready", 5_000).transition()).isEqualTo(SensorHealth.Transition.WENT_OFFLINE);
        assertThat(h.succeeded(5_000)).isEqualTo(new SensorHealth.Outcome(SensorHealth.Transition.CAME_BACK, 5_000));
        assertThat(h.succeeded(5_000).transition()).isEqualTo(SensorHealth.Transition.NONE);
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(h.online()).isTrue();
    }
}

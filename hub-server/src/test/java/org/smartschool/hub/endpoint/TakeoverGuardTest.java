package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.TakeoverConfig;
import org.smartschool.hub.endpoint.TakeoverGuard.Decision;
import org.smartschool.hub.testsupport.ManualClock;

/** The defence against two devices sharing one gateway id, on a clock the test moves. */
class TakeoverGuardTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final TakeoverGuard guard = new TakeoverGuard(new TakeoverConfig(3, 60, 300), clock);

    /** Verifies that the limit of take-overs passes, the next is refused once as the first, then refused quietly. */
    @Test
    void refusesAfterLimitWithinWindowForTheRefusalPeriod() {
        assertThat(guard.decide("gw-a")).isEqualTo(Decision.TAKE_OVER);
        clock.advance(10_000);
        assertThat(guard.decide("gw-a")).isEqualTo(Decision.TAKE_OVER);
        clock.advance(10_000);
        assertThat(guard.decide("gw-a")).isEqualTo(Decision.TAKE_OVER);
        assertThat(guard.decide("gw-a")).isEqualTo(Decision.REFUSE_FIRST);
        assertThat(guard.refusedUntil("gw-a")).isEqualTo(clock.millis() + 300_000);
        clock.advance(299_999);
        assertThat(guard.decide("gw-a")).isEqualTo(Decision.REFUSE);
        assertThat(guard.decide("gw-b")).isEqualTo(Decision.TAKE_OVER);

        clock.advance(1);
        assertThat(guard.decide("gw-a")).isEqualTo(Decision.TAKE_OVER);
        assertThat(guard.refusedUntil("gw-a")).isZero();
    }

    /** Verifies that take-overs spread wider than the window (a gateway that reboots now and then) never refuse. */
    @Test
    void takeoversOutsideTheWindowAreForgotten() {
        for (int i = 0; i < 20; i++) {
            assertThat(guard.decide("gw-a")).isEqualTo(Decision.TAKE_OVER);
            clock.advance(30_001);
        }
    }
}

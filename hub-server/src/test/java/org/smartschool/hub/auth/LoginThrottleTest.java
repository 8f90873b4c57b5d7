package org.smartschool.hub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-name limit on failed logins, on a clock the test moves. */
class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(3, 60_000, 2, now::get);

    /** Verifies that the fourth try waits until the oldest of three failures is a window old, then one more may. */
    @Test
    void aNameWaitsUntilItsOldestFailureLeavesTheWindow() {
        throttle.failed("lan");
        now.addAndGet(10_000);
        throttle.failed("lan");
        assertThat(throttle.waitMillis("lan")).isZero();
        throttle.failed("Lan "); // the same name, as typed otherwise
        assertThat(throttle.waitMillis("lan")).isEqualTo(50_000);
        now.addAndGet(49_999);
        assertThat(throttle.waitMillis("LAN")).isEqualTo(1);
        now.addAndGet(1);
        assertThat(throttle.waitMillis("lan")).isZero();
        throttle.failed("lan"); // failures at +10 s, +10 s and now: full again until +10 s ages out
        assertThat(throttle.waitMillis("lan")).isEqualTo(10_000);
    }

    /** Verifies that a successful login clears its name only, and that names beyond the bound are forgotten oldest first. */
    @Test
    void successClearsItsNameAndTheLeastRecentlyTriedNameIsForgotten() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("lan");
            throttle.failed("minh");
        }
        throttle.succeeded("lan");
        assertThat(throttle.waitMillis("lan")).isZero();
        assertThat(throttle.waitMillis("minh")).isEqualTo(60_000);
        for (int i = 0; i < 3; i++) {
            throttle.failed("hoa");
            throttle.failed("tuan"); // a third name: minh, tried least recently, is forgotten (bound 2)
        }
        assertThat(throttle.waitMillis("minh")).isZero();
        assertThat(throttle.waitMillis("hoa")).isEqualTo(60_000);
    }
}

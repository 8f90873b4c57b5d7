package org.smartschool.hub.testsupport;

import java.time.Duration;

/** Waits for a condition that another thread makes true: a deadline, never a fixed sleep. */
public final class Poll {
    private Poll() {
    }

    /** A condition that may throw (an HTTP call, an MQTT call). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** @throws AssertionError naming {@code what} when the condition is still false after {@code timeout} */
    public static void until(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}

package org.smartschool.gateway.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that another thread makes true. */
public final class Poll {
    private Poll() {
    }

    /** @throws AssertionError naming {@code what} when the condition is still false after {@code timeout} */
    public static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}

package org.smartschool.hub.loadgen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces one gateway's batches so that its readings go out at a set rate ({@code loadgen --rate}):
 * a batch is due when the readings sent before it would have taken their share of the time.
 * Unpaced ({@link #UNPACED}), sending is limited only by the window of unacknowledged batches.
 * Not thread-safe: one per gateway.
 */
final class Pacer {
    static final Pacer UNPACED = new Pacer(0, 0);

    private final double nanosPerReading;
    private final long startNanos;
    private long readingsBefore;

    /** @param readingsPerSecond 0 for no pacing */
    Pacer(double readingsPerSecond, long startNanos) {
        this.nanosPerReading = readingsPerSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / readingsPerSecond : 0;
        this.startNanos = startNanos;
    }

    /** Waits until a batch of {@code readings} readings is due. */
    void awaitTurn(int readings) throws InterruptedException {
        if (nanosPerReading == 0) {
            return;
        }
        long due = startNanos + (long) (readingsBefore * nanosPerReading);
        readingsBefore += readings;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}

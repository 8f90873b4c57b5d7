package org.smartschool.hub.loadgen;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces one gateway's batches so that its readings go out at a set rate ({@code loadgen --rate}):
 * a batch is due when the readings sent before it would have taken their share of the time.
 * Unpaced ({@link #UNPACED}), sending is limited only by the window of unacknowledged batches.
 *
 * <p>Real gateways are not synchronised: each sends at moments of its own (its start, its linger timer, its
 * clock). So a paced gateway starts at its own phase, a random point within its first batch's interval, and
 * each batch is due a little early or late (up to {@value #JITTER} of its interval either way, not accumulating).
 * Without that, N gateways paced alike all send in the same instant, and the hub sees bursts of N batches
 * that no district sends. Not thread-safe: one per gateway.
 */
final class Pacer {
    static final Pacer UNPACED = new Pacer(0, 0, new Random(0));
    /** How far (as a share of its interval) a batch may come before or after its turn. */
    static final double JITTER = 0.25;

    private final double nanosPerReading;
    private final long startNanos;
    private final Random random;
    private double phaseNanos = -1;
    private long readingsBefore;

    /**
     * @param readingsPerSecond 0 for no pacing
     * @param random            this gateway's own: its phase and jitter
     */
    Pacer(double readingsPerSecond, long startNanos, Random random) {
        this.nanosPerReading = readingsPerSecond > 0 ? TimeUnit.SECONDS.toNanos(1) / readingsPerSecond : 0;
        this.startNanos = startNanos;
        this.random = random;
    }

    /** Waits until a batch of {@code readings} readings is due. */
    void awaitTurn(int readings) throws InterruptedException {
        long due = dueNanos(readings);
        if (due == Long.MIN_VALUE) {
            return;
        }
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** When the next batch of {@code readings} readings is due; {@link Long#MIN_VALUE} when unpaced. */
    long dueNanos(int readings) {
        if (nanosPerReading == 0) {
            return Long.MIN_VALUE;
        }
        double interval = readings * nanosPerReading;
        if (phaseNanos < 0) {
            phaseNanos = random.nextDouble() * interval;
        }
        double jitter = (random.nextDouble() * 2 - 1) * JITTER * interval;
        long due = startNanos + (long) (phaseNanos + readingsBefore * nanosPerReading + jitter);
        readingsBefore += readings;
        return due;
    }
}

package org.smartschool.gateway.wired;

import org.smartschool.gateway.mqtt.Backoff;

/**
 * Whether a polled sensor answers, and when to try it next. A sensor is online until
 * {@code offlineAfter} reads in a row have failed (I/O error, data never ready, corrupt answer);
 * then it is offline and tried again after a growing wait ({@link Backoff}, capped), never in a
 * hot loop; the first good read brings it back online.
 *
 * <p>Plain logic; the caller turns transitions into device events. Not thread-safe: one owner.
 */
public final class SensorHealth {
    private final int offlineAfter;
    private final Backoff backoff;
    private boolean online = true;
    private int consecutiveFailures;
    private long failures;
    private String lastProblem;

    public SensorHealth(int offlineAfter, Backoff backoff) {
        if (offlineAfter < 1) {
            throw new IllegalArgumentException("offlineAfter must be at least 1: " + offlineAfter);
        }
        this.offlineAfter = offlineAfter;
        this.backoff = backoff;
    }

    /** What a read changed, and how long to wait before the next one. */
    public record Outcome(Transition transition, long nextDelayMillis) {
    }

    public enum Transition { NONE, WENT_OFFLINE, CAME_BACK }

    /** A good read: {@link Transition#CAME_BACK} when the sensor was offline. */
    public Outcome succeeded(long intervalMillis) {
        consecutiveFailures = 0;
        backoff.reset();
        Transition t = online ? Transition.NONE : Transition.CAME_BACK;
        online = true;
        return new Outcome(t, intervalMillis);
    }

    /**
     * A failed read. While online the next try comes at the normal interval (a single glitch costs
     * one sample); once offline, after the backoff's wait.
     */
    public Outcome failed(String problem, long intervalMillis) {
        failures++;
        consecutiveFailures++;
        lastProblem = problem;
        if (online && consecutiveFailures >= offlineAfter) {
            online = false;
            return new Outcome(Transition.WENT_OFFLINE, backoff.next());
        }
        return new Outcome(Transition.NONE, online ? intervalMillis : backoff.next());
    }

    public boolean online() {
        return online;
    }

    public long failures() {
        return failures;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** The last failure's one-line description, or null. */
    public String lastProblem() {
        return lastProblem;
    }
}

package org.smartschool.hub.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * The demo's simulated school clock for attendance ({@link SchoolMorning}): shows the morning's start until
 * {@link #run()}, then runs {@code speed} times faster than real time and stops at the morning's end. The door
 * readers of the morning tap on it, and each gateway judges by it (its cut-offs, and each tap at {@link #at}
 * of the tap's receive time). Only the attendance path runs on it: the classrooms' readings keep real time.
 */
final class SchoolClock extends Clock {
    private final SchoolMorning morning;
    private final LongSupplier system;
    /** When {@link #run()} was called, on the system clock; -1 before. */
    private volatile long runningSince = -1;

    SchoolClock(SchoolMorning morning) {
        this(morning, System::currentTimeMillis);
    }

    SchoolClock(SchoolMorning morning, LongSupplier system) {
        this.morning = morning;
        this.system = system;
    }

    /** Starts the clock from the morning's start, now. Calling it again does nothing. */
    synchronized void run() {
        if (runningSince < 0) {
            runningSince = system.getAsLong();
        }
    }

    boolean running() {
        return runningSince >= 0;
    }

    SchoolMorning morning() {
        return morning;
    }

    /** The school clock's time at {@code systemMillis} of the system clock (a tap's receive time). */
    long at(long systemMillis) {
        long since = runningSince;
        if (since < 0 || systemMillis <= since) {
            return morning.fromMillis();
        }
        long elapsed = systemMillis - since;
        // the stop is checked before multiplying: a demo running for years must not overflow
        long room = morning.stopMillis() - morning.fromMillis();
        return elapsed >= room / morning.speed() + 1 ? morning.stopMillis()
                : Math.min(morning.stopMillis(), morning.fromMillis() + elapsed * morning.speed());
    }

    @Override
    public long millis() {
        return at(system.getAsLong());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return SchoolMorning.ZONE;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the school clock keeps the school's zone");
    }
}

package org.smartschool.hub.store.influx;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;

/**
 * The hours of each school that received readings too late for the continuous query (older than its
 * resample window, e.g. a school's backlog after its link came back), so that their hourly means are
 * computed again. Plain Java and thread-safe; bounded: past {@code max} hours waiting, more are
 * counted and left out (an operator runs the roll-up for the window: docs/storage.md).
 */
final class LateHours {
    static final long HOUR_MILLIS = 3_600_000;

    /** One school's hour, {@code start} on the hour (UTC epoch ms). */
    record SchoolHour(String school, long start) {
    }

    private final LongSupplier clock;
    private final long lateAfterMillis;
    private final int max;
    private final Set<SchoolHour> waiting = new LinkedHashSet<>();
    private long dropped;

    /**
     * @param lateAfterMillis a reading older than this when written is late (shorter than the continuous
     *                        query's resample window, so an hour is never missed between the two)
     */
    LateHours(LongSupplier clock, long lateAfterMillis, int max) {
        this.clock = clock;
        this.lateAfterMillis = lateAfterMillis;
        this.max = max;
    }

    void note(Batch batch) {
        long lateBefore = clock.getAsLong() - lateAfterMillis;
        Set<SchoolHour> hours = null;
        // a batch is one school's, and its readings mostly of one hour: a new SchoolHour only when the hour changes
        String lastSchool = null;
        long lastHour = Long.MIN_VALUE;
        for (Reading r : batch.readings()) {
            if (r.timestamp() < lateBefore) {
                long hour = r.timestamp() - r.timestamp() % HOUR_MILLIS;
                if (hour != lastHour || !r.school().equals(lastSchool)) {
                    if (hours == null) {
                        // only a late batch pays for a set
                        hours = new LinkedHashSet<>();
                    }
                    hours.add(new SchoolHour(r.school(), hour));
                    lastHour = hour;
                    lastSchool = r.school();
                }
            }
        }
        if (hours == null) {
            return;
        }
        synchronized (waiting) {
            for (SchoolHour hour : hours) {
                if (waiting.size() < max || waiting.contains(hour)) {
                    waiting.add(hour);
                } else {
                    dropped++;
                }
            }
        }
    }

    /** The hours waiting, oldest noted first; none wait afterwards. */
    List<SchoolHour> drain() {
        synchronized (waiting) {
            List<SchoolHour> out = new ArrayList<>(waiting);
            waiting.clear();
            return out;
        }
    }

    long dropped() {
        synchronized (waiting) {
            return dropped;
        }
    }
}

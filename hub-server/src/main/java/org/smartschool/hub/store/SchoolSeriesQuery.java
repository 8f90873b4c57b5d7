package org.smartschool.hub.store;

import java.time.Duration;
import java.util.Objects;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Quantity;

/**
 * The step means of one quantity for every device of one school within {@code [fromMillis, toMillis)}: what a
 * monthly report judges against the school's limits, computed by the store ({@code GROUP BY time(step, offset)} in
 * InfluxQL, {@code GROUP BY} in SQL) rather than by reading every point into the hub. Steps start at
 * {@code offsetMillis + k * step} after the epoch, so that a day step can run from the school's local midnight.
 *
 * @param offsetMillis where steps start, from 0 (aligned to the epoch, as {@link SeriesQuery}'s) to below the step
 */
public record SchoolSeriesQuery(String school, Quantity quantity, long fromMillis, long toMillis, Duration step,
                                long offsetMillis) {

    /** Steps aligned to the epoch. */
    public SchoolSeriesQuery(String school, Quantity quantity, long fromMillis, long toMillis, Duration step) {
        this(school, quantity, fromMillis, toMillis, step, 0);
    }

    public SchoolSeriesQuery {
        Ids.require("school", school);
        Objects.requireNonNull(quantity, "quantity");
        if (fromMillis > toMillis) {
            throw new IllegalArgumentException("window starts (" + fromMillis + ") after it ends (" + toMillis + ")");
        }
        if (step == null || step.compareTo(SeriesQuery.MIN_STEP) < 0 || step.toMillis() * 1_000_000 != step.toNanos()) {
            throw new IllegalArgumentException("step must be whole milliseconds and at least " + SeriesQuery.MIN_STEP + ": " + step);
        }
        if (offsetMillis < 0 || offsetMillis >= step.toMillis()) {
            throw new IllegalArgumentException("offset must be from 0 to below the step (" + step + "): " + offsetMillis);
        }
    }

    public long stepMillis() {
        return step.toMillis();
    }
}

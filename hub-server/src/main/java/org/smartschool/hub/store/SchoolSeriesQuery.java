package org.smartschool.hub.store;

import java.time.Duration;
import java.util.Objects;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Quantity;

/**
 * The step means of one quantity for every device of one school within {@code [fromMillis, toMillis)}: what a
 * monthly report judges against the school's limits, computed by the store ({@code GROUP BY time()} in InfluxQL,
 * {@code GROUP BY} in SQL) rather than by reading every point into the hub. Steps are aligned to the epoch, as
 * {@link SeriesQuery}'s are.
 */
public record SchoolSeriesQuery(String school, Quantity quantity, long fromMillis, long toMillis, Duration step) {

    public SchoolSeriesQuery {
        Ids.require("school", school);
        Objects.requireNonNull(quantity, "quantity");
        if (fromMillis > toMillis) {
            throw new IllegalArgumentException("window starts (" + fromMillis + ") after it ends (" + toMillis + ")");
        }
        if (step == null || step.compareTo(SeriesQuery.MIN_STEP) < 0 || step.toMillis() * 1_000_000 != step.toNanos()) {
            throw new IllegalArgumentException("step must be whole milliseconds and at least " + SeriesQuery.MIN_STEP + ": " + step);
        }
    }

    public long stepMillis() {
        return step.toMillis();
    }
}

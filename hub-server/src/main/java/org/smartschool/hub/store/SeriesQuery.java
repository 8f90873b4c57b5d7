package org.smartschool.hub.store;

import java.time.Duration;
import java.util.Objects;

/**
 * An aggregated series: the readings of a {@link ReadingQuery}'s window cut into steps of
 * {@code step}, each step's readings (of every device of the room, or of the one device asked for)
 * reduced to one value by {@code aggregation}. Steps are aligned to the epoch, as InfluxQL's
 * {@code GROUP BY time()} aligns them, so a step's time may be before {@code from}; steps without
 * readings are left out. {@code readings.limit()} bounds the number of steps returned.
 */
public record SeriesQuery(ReadingQuery readings, Duration step, Aggregation aggregation) {
    /** Shorter steps are not worth aggregating: ask for the readings. */
    public static final Duration MIN_STEP = Duration.ofSeconds(1);

    public SeriesQuery {
        Objects.requireNonNull(readings, "readings");
        Objects.requireNonNull(aggregation, "aggregation");
        if (step == null || step.compareTo(MIN_STEP) < 0 || step.toMillis() * 1_000_000 != step.toNanos()) {
            throw new IllegalArgumentException("step must be whole milliseconds and at least " + MIN_STEP + ": " + step);
        }
    }

    public long stepMillis() {
        return step.toMillis();
    }
}

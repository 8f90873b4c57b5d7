package org.smartschool.hub.report;

import java.util.Arrays;
import java.util.List;

/**
 * Median and 90th percentile of a set of durations by the nearest-rank method: the value at rank
 * {@code ceil(p * n)} of the sorted values (1-based), so a percentile is always one of the durations measured.
 *
 * @param count how many durations
 * @param median milliseconds, or -1 without any
 * @param p90 milliseconds, or -1 without any
 */
public record Durations(int count, long median, long p90) {
    public static final Durations NONE = new Durations(0, -1, -1);

    public static Durations of(List<Long> millis) {
        if (millis.isEmpty()) {
            return NONE;
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Durations(sorted.length, rank(sorted, 0.5), rank(sorted, 0.9));
    }

    private static long rank(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }
}

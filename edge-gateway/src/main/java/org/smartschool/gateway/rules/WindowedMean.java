package org.smartschool.gateway.rules;

import java.util.Arrays;

/**
 * The mean of a series over a sliding time window at a constant cost per reading: the window is
 * cut into a fixed number of buckets (a sum and a count each), so a reading touches one bucket
 * and a mean adds up a fixed number of them, however many readings the window holds.
 *
 * <p>A mean is given only once the readings cover most of the window (the oldest bucket with data
 * lies in the window's first quarter): a "15-minute mean" from two minutes of data would raise
 * alarms right after a restart or a gap.
 */
final class WindowedMean {
    static final int BUCKETS = 16;

    private final long bucketMillis;
    private final boolean energy;
    private final long[] bucketIndex = new long[BUCKETS];
    private final double[] sums = new double[BUCKETS];
    private final int[] counts = new int[BUCKETS];

    WindowedMean(long windowMillis, boolean energy) {
        this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
        this.energy = energy;
        Arrays.fill(bucketIndex, Long.MIN_VALUE);
    }

    /** Adds a reading; one older than the window is ignored. */
    void add(double value, long at) {
        long index = Math.floorDiv(at, bucketMillis);
        int slot = (int) Math.floorMod(index, (long) BUCKETS);
        if (bucketIndex[slot] != index) {
            if (bucketIndex[slot] > index) {
                return; // that slot already holds a newer bucket: the reading is older than the window
            }
            bucketIndex[slot] = index;
            sums[slot] = 0;
            counts[slot] = 0;
        }
        sums[slot] += energy ? Math.pow(10, value / 10) : value;
        counts[slot]++;
    }

    /** The mean of the window ending at {@code at}, or NaN when the readings do not cover it yet. */
    double mean(long at) {
        long newest = Math.floorDiv(at, bucketMillis);
        long oldestInWindow = newest - BUCKETS + 1;
        double sum = 0;
        long count = 0;
        long oldestWithData = Long.MAX_VALUE;
        for (int slot = 0; slot < BUCKETS; slot++) {
            long index = bucketIndex[slot];
            if (index >= oldestInWindow && index <= newest && counts[slot] > 0) {
                sum += sums[slot];
                count += counts[slot];
                oldestWithData = Math.min(oldestWithData, index);
            }
        }
        if (count == 0 || oldestWithData > oldestInWindow + BUCKETS / 4) {
            return Double.NaN;
        }
        double mean = sum / count;
        return energy ? 10 * Math.log10(mean) : mean;
    }

    /** The buckets as plain numbers, for the rule state kept on disk. */
    State state() {
        return new State(bucketIndex.clone(), sums.clone(), counts.clone());
    }

    void restore(State state) {
        if (state == null || state.bucketIndex().length != BUCKETS) {
            return; // another bucket layout: start the window afresh rather than misread it
        }
        System.arraycopy(state.bucketIndex(), 0, bucketIndex, 0, BUCKETS);
        System.arraycopy(state.sums(), 0, sums, 0, BUCKETS);
        System.arraycopy(state.counts(), 0, counts, 0, BUCKETS);
    }

    public record State(long[] bucketIndex, double[] sums, int[] counts) {
    }
}

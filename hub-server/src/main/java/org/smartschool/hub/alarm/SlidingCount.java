package org.smartschool.hub.alarm;

import java.util.Arrays;

/**
 * A count of events over a sliding window, in a fixed number of time buckets: constant memory and constant cost per
 * event, however many arrive. The window is covered to one bucket's precision (a tenth of it with 10 buckets).
 */
final class SlidingCount {
    private final long bucketMillis;
    private final long[] bucket;
    private final long[] count;

    SlidingCount(long windowMillis, int buckets) {
        this.bucketMillis = Math.max(1, windowMillis / buckets);
        this.bucket = new long[buckets];
        this.count = new long[buckets];
        Arrays.fill(bucket, Long.MIN_VALUE);
    }

    void add(long now, long n) {
        long b = Math.floorDiv(now, bucketMillis);
        int slot = (int) Math.floorMod(b, (long) bucket.length);
        if (bucket[slot] != b) {
            bucket[slot] = b;
            count[slot] = 0;
        }
        count[slot] += n;
    }

    /** The events of the window that ends now (the current bucket and the ones before it). */
    long sum(long now) {
        long current = Math.floorDiv(now, bucketMillis);
        long total = 0;
        for (int i = 0; i < bucket.length; i++) {
            if (bucket[i] <= current && bucket[i] > current - bucket.length) {
                total += count[i];
            }
        }
        return total;
    }
}

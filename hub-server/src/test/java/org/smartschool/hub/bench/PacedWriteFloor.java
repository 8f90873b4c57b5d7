package org.smartschool.hub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * InfluxDB's own write latency at a given rate, without the hub: line protocol bodies of a set size sent to
 * {@code /write} on a fixed schedule (open loop: request {@code k} is due at {@code start + k * interval}), at
 * most {@code concurrency} at once, as the hub's group commit writes. Two latencies per request: the request
 * itself (from its send to InfluxDB's 204), and from the moment it was due (adds the wait for a free slot
 * when InfluxDB falls behind: a late request does not move the schedule, so a stall is not hidden).
 *
 * <p>The benchmark runs it right after the hub's run at half its maximum rate, with that run's rate, request
 * size and concurrency, so that the hub's PUBACK latency and InfluxDB's floor come from the same minute.
 */
final class PacedWriteFloor {
    /** Latencies above a minute are recorded as a minute. */
    private static final long MAX_MICROS = 60_000_000L;

    /** Request and from-due latencies in microseconds, and what was sent. */
    record Result(Histogram request, Histogram fromDue, long requests, long points, double seconds) {
        double pointsPerSecond() {
            return seconds > 0 ? points / seconds : 0;
        }

        String line() {
            return String.format(Locale.ROOT,
                    "%,d requests of %,.0f points in %.1f s (%,.0f points/s): request mean %.1f ms, p50 %.1f ms, p95 %.1f ms,"
                            + " p99 %.1f ms, max %.1f ms; from due p50 %.1f ms, p99 %.1f ms",
                    requests, requests > 0 ? (double) points / requests : 0, seconds, pointsPerSecond(),
                    request.getMean() / 1000.0, ms(request, 50), ms(request, 95), ms(request, 99), request.getMaxValue() / 1000.0,
                    ms(fromDue, 50), ms(fromDue, 99));
        }

        static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private PacedWriteFloor() {
    }

    /**
     * Sends every body, the next one {@code intervalNanos} after the one before, at most {@code concurrency} at
     * once; fails with the first failed write.
     *
     * @param points points in each body, in order
     */
    static Result run(InfluxRawWriter writer, List<byte[]> bodies, int[] points, long intervalNanos, int concurrency)
            throws Exception {
        Recorder request = new Recorder(MAX_MICROS, 3);
        Recorder fromDue = new Recorder(MAX_MICROS, 3);
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<Exception> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "floor-writer");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long sentPoints = 0;
        List<Future<?>> sent = new ArrayList<>();
        try {
            for (int k = 0; k < bodies.size() && failure.get() == null; k++) {
                long due = start + k * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                slots.acquire();
                byte[] body = bodies.get(k);
                sentPoints += points[k];
                sent.add(pool.submit(() -> {
                    long began = System.nanoTime();
                    try {
                        writer.write(body);
                        long end = System.nanoTime();
                        request.recordValue(Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(end - began)));
                        fromDue.recordValue(Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(end - due)));
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Result(request.getIntervalHistogram(), fromDue.getIntervalHistogram(), sent.size(), sentPoints, seconds);
    }
}

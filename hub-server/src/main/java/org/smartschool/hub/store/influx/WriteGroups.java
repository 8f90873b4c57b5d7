package org.smartschool.hub.store.influx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.smartschool.hub.store.StoreException;
import org.smartschool.hub.store.StoreRejectedException;

/**
 * Group commit: the batches that wait to be written at one moment go to InfluxDB in one {@code /write}.
 * InfluxDB's cost is mostly per request (measured on this project's machine: 100-point writes reach a
 * sixth of the rate of 5,000-point ones, and more concurrent requests do not help), while a gateway batch
 * is about a hundred points. So each caller queues its batch and either waits for a request that carries
 * it, or, when fewer than {@code maxRequests} are under way, takes every waiting batch (up to
 * {@code maxPoints}) and writes them itself. While a request is in InfluxDB the next group gathers.
 * (Tried and dropped: a second request only once the waiting batches fill half a group. Requests grew from
 * ~1,100 to ~1,700 points, but the ingest rate did not rise and PUBACK latency at half rate got worse: a
 * write's time is mostly InfluxDB's latency, so concurrency matters more than size. Also tried, on 2026-12-03
 * at load 15-17: handing the next group to the thread of its oldest batch, one thread unparked instead of
 * {@code notifyAll}. On a crowded machine that one thread took long to be scheduled while its slot stayed
 * idle: half as many requests, twice as big, and PUBACK p99 at half rate 1.3 s against main's 0.4-0.6 s. And tried
 * on 2026-12-03 evening: up to 5 more requests while few points waited or were being written, so that a batch at a
 * moderate rate need not wait for a busy one. It was written when each request still waited ~40 ms for InfluxDB's
 * delayed ACK (see {@code NoDelaySockets}); with that gone the requests take a few ms at half rate, fewer than one
 * is under way on average, and the extra ones showed no gain the noise could show (at 100,000 readings/s, load
 * 2.3-6.8, alternated: PUBACK p99 227, 248 and 59 ms with them, 385, 33 and 39 ms without), so the simpler rule
 * stays.)
 *
 * <p>Every caller still returns only when InfluxDB accepted its batch, or throws: nothing is
 * acknowledged early. A group that InfluxDB rejects as malformed (400, 413) is written again batch by
 * batch, so that only the bad batch fails (points are idempotent: the others' second write changes
 * nothing); a group that fails otherwise (retries exhausted, 401/404) fails all its batches, whose
 * gateways send them again.
 */
final class WriteGroups {
    private final InfluxWriter writer;
    private final int maxRequests;
    private final int maxPoints;
    /** Batches not yet taken into a request, oldest first; guarded by this. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** Requests under way; guarded by this. */
    private int requests;
    private final AtomicLong groupedRequests = new AtomicLong();
    private final AtomicLong groupedBatches = new AtomicLong();
    /** Null until {@link #bindTo}: a batch's wait for a request to carry it, and that request's time in InfluxDB. */
    private volatile Timer slotWait;
    private volatile Timer requestTime;
    /** Once per request (not per batch): how many requests, their points, and how many were under way on average. */
    private volatile Timer requestTimes;
    private volatile DistributionSummary requestPoints;

    WriteGroups(InfluxWriter writer, int maxRequests, int maxPoints) {
        if (maxRequests < 1 || maxPoints < 1) {
            throw new IllegalArgumentException("maxRequests and maxPoints must be at least 1");
        }
        this.writer = writer;
        this.maxRequests = maxRequests;
        this.maxPoints = maxPoints;
    }

    /** Returns when InfluxDB has every point of {@code points}; throws as {@link InfluxWriter#write} does. */
    void write(InfluxPoints.Lines points, String what) {
        if (points.points() == 0) {
            return;
        }
        Pending mine = new Pending(points, what);
        boolean interrupted = false;
        synchronized (this) {
            waiting.addLast(mine);
        }
        try {
            while (true) {
                List<Pending> group;
                synchronized (this) {
                    while (!mine.done && (requests >= maxRequests || waiting.isEmpty())) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            if (waiting.remove(mine)) {
                                Thread.currentThread().interrupt();
                                throw new StoreException("interrupted before the write of " + what, e);
                            }
                            // already in a request: its outcome comes within the writer's retry bound
                            interrupted = true;
                        }
                    }
                    if (mine.done) {
                        break;
                    }
                    requests++;
                    group = take();
                }
                try {
                    send(group);
                } finally {
                    synchronized (this) {
                        requests--;
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /** The oldest waiting batches, at least one, up to {@code maxPoints} points in all. Holds the lock. */
    private List<Pending> take() {
        List<Pending> group = new ArrayList<>();
        int points = 0;
        while (!waiting.isEmpty()) {
            int next = waiting.peekFirst().points.points();
            if (!group.isEmpty() && points + next > maxPoints) {
                break;
            }
            group.add(waiting.pollFirst());
            points += next;
        }
        Timer timer = slotWait;
        if (timer != null) {
            long now = System.nanoTime();
            for (Pending p : group) {
                timer.record(now - p.queuedNanos, TimeUnit.NANOSECONDS);
            }
        }
        return group;
    }

    private void send(List<Pending> group) {
        long started = System.nanoTime();
        try {
            sendGroup(group);
        } finally {
            Timer timer = requestTime;
            long took = System.nanoTime() - started;
            if (timer != null) {
                // once per batch it carried: the figure is then a batch's wait for its request, comparable to the rest
                for (int i = 0; i < group.size(); i++) {
                    timer.record(took, TimeUnit.NANOSECONDS);
                }
            }
            Timer perRequest = requestTimes;
            if (perRequest != null) {
                perRequest.record(took, TimeUnit.NANOSECONDS);
                int points = 0;
                for (Pending p : group) {
                    points += p.points.points();
                }
                requestPoints.record(points);
            }
        }
    }

    private void sendGroup(List<Pending> group) {
        if (group.size() == 1) {
            sendAlone(group.get(0));
            return;
        }
        groupedRequests.incrementAndGet();
        groupedBatches.addAndGet(group.size());
        List<InfluxPoints.Lines> parts = new ArrayList<>(group.size());
        for (Pending p : group) {
            parts.add(p.points);
        }
        String what = group.size() + " batches (" + group.get(0).what + " and " + (group.size() - 1) + " more)";
        try {
            writer.write(parts, what, group.size(), false);
            complete(group, null);
        } catch (StoreRejectedException e) {
            // one batch spoils the group: write each alone, so that only the bad one fails
            group.forEach(this::sendAlone);
        } catch (RuntimeException e) {
            complete(group, e);
        }
    }

    private void sendAlone(Pending pending) {
        try {
            writer.write(pending.points, pending.what);
            complete(List.of(pending), null);
        } catch (RuntimeException e) {
            complete(List.of(pending), e);
        }
    }

    private synchronized void complete(List<Pending> group, RuntimeException failure) {
        for (Pending p : group) {
            p.failure = failure;
            p.done = true;
        }
        notifyAll();
    }

    void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("hub.influx.grouped.requests", groupedRequests, AtomicLong::get)
                .description("Writes that carried more than one gateway batch (group commit)").register(registry);
        FunctionCounter.builder("hub.influx.grouped.batches", groupedBatches, AtomicLong::get)
                .description("Gateway batches written in a request with others (group commit)").register(registry);
        slotWait = InfluxTimers.latency("hub.influx.write.wait",
                "From a batch's arrival at the group commit to the start of the request that carries it", registry);
        requestTime = InfluxTimers.latency("hub.influx.write.request",
                "The write to InfluxDB that carried a batch, retries included, until InfluxDB accepted it (once per batch)", registry);
        requestPoints = DistributionSummary.builder("hub.influx.requests.points")
                .description("Points per group-commit write to InfluxDB (once per request)").register(registry);
        requestTimes = InfluxTimers.latency("hub.influx.requests",
                "Each group-commit write to InfluxDB, retries included (once per request: its _sum over wall time is the mean in flight)",
                registry);
    }

    long groupedRequests() {
        return groupedRequests.get();
    }

    /** One caller's batch; its fields are guarded by the {@link WriteGroups} instance. */
    private static final class Pending {
        private final InfluxPoints.Lines points;
        private final String what;
        private final long queuedNanos = System.nanoTime();
        private boolean done;
        private RuntimeException failure;

        Pending(InfluxPoints.Lines points, String what) {
            this.points = points;
            this.what = what;
        }
    }
}

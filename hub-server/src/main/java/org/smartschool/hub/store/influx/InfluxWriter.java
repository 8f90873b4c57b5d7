package org.smartschool.hub.store.influx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import java.util.concurrent.TimeUnit;

import org.influxdb.InfluxDB.ConsistencyLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.gateway.mqtt.Backoff;
import org.smartschool.hub.store.StoreException;
import org.smartschool.hub.store.StoreRejectedException;

/**
 * Writes one batch's points in one {@code /write} request, synchronously: it returns only when InfluxDB
 * accepted every point. Many batches are written at once from the store's worker threads (OkHttp keeps
 * a connection per thread); a series is never reordered, because points carry their own timestamps
 * and a batch is retried whole, by the same call, before its gateway gets its PUBACK.
 *
 * <p>5xx, 429, timeouts and broken connections are retried with backoff for up to {@code retryMillis};
 * after that the call fails and the gateway, without a PUBACK, keeps the batch and sends it again.
 * A 400 (a line InfluxDB cannot parse, a field type conflict) is not retried: it is counted and thrown
 * as a {@link StoreRejectedException}. A 400 that only dropped points older than the retention policy
 * is accepted (the other points are written, those would be deleted anyway) and counted.
 */
final class InfluxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxWriter.class);
    private static final long FIRST_WAIT_MILLIS = 100;
    private static final long LONGEST_WAIT_MILLIS = 5_000;

    private final InfluxDB influx;
    private final String database;
    private final long retryMillis;
    private final LongSupplier clock;
    private final AtomicLong pointsWritten = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong rejectedBatches = new AtomicLong();
    private final AtomicLong pointsBeyondRetention = new AtomicLong();

    InfluxWriter(InfluxDB influx, String database, long retryMillis) {
        this(influx, database, retryMillis, System::currentTimeMillis);
    }

    InfluxWriter(InfluxDB influx, String database, long retryMillis, LongSupplier clock) {
        this.influx = influx;
        this.database = database;
        this.retryMillis = retryMillis;
        this.clock = clock;
    }

    /** @param what names the batch in messages ("batch gw-1-17-42") */
    void write(InfluxPoints.Lines points, String what) {
        write(List.of(points), what, 1, true);
    }

    /**
     * Writes {@code parts} in one request, their lines in order.
     *
     * @param batches        how many gateway batches the points are (the failure counters count batches)
     * @param countRejection false where the caller writes the batches again one by one after a 400, and
     *                       only the one InfluxDB rejects then is counted
     */
    void write(List<InfluxPoints.Lines> parts, String what, int batches, boolean countRejection) {
        int points = 0;
        List<String> records = new ArrayList<>(parts.size());
        for (InfluxPoints.Lines part : parts) {
            if (part.points() > 0) {
                points += part.points();
                records.add(part.text());
            }
        }
        if (points == 0) {
            return;
        }
        long deadline = clock.getAsLong() + retryMillis;
        Backoff backoff = new Backoff(FIRST_WAIT_MILLIS, LONGEST_WAIT_MILLIS);
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                // QUORUM matters on a cluster (Enterprise): the write is accepted when most replicas have it;
                // a single InfluxDB ignores it
                if (records.size() == 1) {
                    influx.write(database, InfluxSchema.RAW_POLICY, ConsistencyLevel.QUORUM, TimeUnit.MILLISECONDS,
                            records.get(0));
                } else {
                    // the records API joins them with newlines into the body: one copy of the group's text, where
                    // a StringBuilder of the group and its toString were two
                    influx.write(database, InfluxSchema.RAW_POLICY, ConsistencyLevel.QUORUM, TimeUnit.MILLISECONDS,
                            records);
                }
                pointsWritten.addAndGet(points);
                return;
            } catch (InfluxDBException e) {
                InfluxHttpStatusException status = statusOf(e);
                if (status != null && status.droppedOnlyPointsBeyondRetention()) {
                    pointsBeyondRetention.incrementAndGet();
                    LOG.warn("InfluxDB dropped points of {} older than the retention policy; the rest is stored: {}",
                            what, status.error());
                    return;
                }
                if (status != null && !status.isRetryable()) {
                    throw refused(status, what, e, batches, countRejection);
                }
                String cause = status != null ? status.getMessage() : rootMessage(e);
                long remaining = deadline - clock.getAsLong();
                // keep trying until the bound itself has passed: a long jittered wait is cut to what is left,
                // it does not end the retries early
                long wait = Math.min(backoff.next(), remaining);
                if (remaining <= 0) {
                    failedBatches.addAndGet(batches);
                    throw new StoreException("InfluxDB did not accept " + what + " in " + attempt + " attempts over "
                            + retryMillis + " ms (last: " + cause + "); the gateway keeps it and sends it again", e);
                }
                retries.incrementAndGet();
                LOG.debug("InfluxDB write of {} failed (attempt {}: {}); retrying in {} ms", what, attempt, cause, wait);
                sleep(wait, what);
            }
        }
    }

    private StoreException refused(InfluxHttpStatusException status, String what, InfluxDBException e, int batches,
                                   boolean countRejection) {
        if (status.status() == 400 || status.status() == 413) {
            if (!countRejection) {
                return new StoreRejectedException("InfluxDB rejected " + what + " (" + status.getMessage() + ")", e);
            }
            rejectedBatches.addAndGet(batches);
            LOG.error("InfluxDB rejected {} as malformed ({}): a bug in the hub's points or a field written with"
                    + " another type by something else; not retried", what, status.getMessage());
            return new StoreRejectedException("InfluxDB rejected " + what + " as malformed (" + status.getMessage()
                    + "); not retried: report it as a bug", e);
        }
        // 401, 403, 404 (no such database): a configuration problem, not worth a retry loop here
        failedBatches.addAndGet(batches);
        return new StoreException("InfluxDB refused " + what + " (" + status.getMessage()
                + "): check store.influx (url, database, username, password)", e);
    }

    private static InfluxHttpStatusException statusOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InfluxHttpStatusException status) {
                return status;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static void sleep(long millis, String what) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying the write of " + what, e);
        }
    }

    long pointsWritten() {
        return pointsWritten.get();
    }

    long retries() {
        return retries.get();
    }

    long failedBatches() {
        return failedBatches.get();
    }

    long rejectedBatches() {
        return rejectedBatches.get();
    }

    long pointsBeyondRetention() {
        return pointsBeyondRetention.get();
    }

    void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("hub.influx.points.written", pointsWritten, AtomicLong::get)
                .description("Points InfluxDB accepted").register(registry);
        FunctionCounter.builder("hub.influx.write.retries", retries, AtomicLong::get)
                .description("Writes retried after a 5xx, 429, timeout or broken connection").register(registry);
        FunctionCounter.builder("hub.influx.write.failures", failedBatches, AtomicLong::get)
                .description("Batches not written after the retry bound or refused by configuration (the gateway resends them)")
                .register(registry);
        FunctionCounter.builder("hub.influx.write.rejected", rejectedBatches, AtomicLong::get)
                .description("Batches InfluxDB rejected as malformed (400): a bug to report").register(registry);
        FunctionCounter.builder("hub.influx.writes.beyond.retention", pointsBeyondRetention, AtomicLong::get)
                .description("Writes in which InfluxDB dropped points older than the retention policy").register(registry);
    }
}

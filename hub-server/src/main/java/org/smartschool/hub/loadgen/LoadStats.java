package org.smartschool.hub.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the hub answered, counted across all simulated gateways; written from Paho's callback threads.
 * PUBACK latencies go into an HdrHistogram {@link Recorder} (microseconds, 3 significant digits), which
 * records without locks; only acknowledged batches count.
 */
final class LoadStats {
    /** Latencies above an hour are recorded as an hour. */
    private static final long MAX_MICROS = 3_600_000_000L;
    private static final int KEPT_ERRORS = 10;

    private final LongAdder readings = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Recorder latency = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);
    private final Map<Integer, Refusals> refusals = new ConcurrentHashMap<>();
    private final AtomicLong errorCount = new AtomicLong();
    private final List<String> errors = new ArrayList<>();

    /** How often one PUBACK reason code came back, and the reason string of the first. */
    record Refusals(AtomicLong count, String firstReason) {
    }

    void sent() {
        inFlight.incrementAndGet();
    }

    void acked(PreparedBatch batch, long micros) {
        inFlight.decrementAndGet();
        readings.add(batch.readings());
        events.add(batch.events());
        batches.increment();
        latency.recordValue(Math.min(Math.max(micros, 0), MAX_MICROS));
    }

    void refused(int reasonCode, String reasonString) {
        inFlight.decrementAndGet();
        refusals.computeIfAbsent(reasonCode, code -> new Refusals(new AtomicLong(), reasonString)).count().incrementAndGet();
    }

    /** A batch that got no PUBACK (the connection failed, the publish was not accepted). */
    void failed(String error) {
        inFlight.decrementAndGet();
        error(error);
    }

    /** Anything else that went wrong; the first {@value #KEPT_ERRORS} are kept for the summary. */
    void error(String error) {
        errorCount.incrementAndGet();
        synchronized (errors) {
            if (errors.size() < KEPT_ERRORS) {
                errors.add(error);
            }
        }
    }

    long readings() {
        return readings.sum();
    }

    int inFlight() {
        return inFlight.get();
    }

    long refusedBatches() {
        return refusals.values().stream().mapToLong(r -> r.count().get()).sum();
    }

    long errors() {
        return errorCount.get();
    }

    /** The result so far; {@code seconds} is the length of the timed run. */
    synchronized LoadResult result(double seconds) {
        total.add(latency.getIntervalHistogram());
        Map<Integer, LoadResult.Refusal> refused = new TreeMap<>();
        refusals.forEach((code, r) -> refused.put(code, new LoadResult.Refusal(r.count().get(), r.firstReason())));
        List<String> kept;
        synchronized (errors) {
            kept = List.copyOf(errors);
        }
        return new LoadResult(readings.sum(), events.sum(), batches.sum(), seconds,
                LoadResult.Latency.of(total), refused, errorCount.get(), kept);
    }
}

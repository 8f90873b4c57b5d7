package org.smartschool.hub.loadgen;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.smartschool.gateway.uplink.PubackPolicy;

/**
 * The outcome of a load run: what the hub acknowledged, how fast, how long each PUBACK took, what it
 * refused and what else went wrong.
 *
 * @param seconds  from the first publish to the last answer
 * @param refused  batches refused, by PUBACK reason code
 * @param errors   batches that got no answer and connections that failed
 * @param errorLog the first few of those, one line each
 */
public record LoadResult(long readings, long events, long batches, double seconds, Latency latency,
                         Map<Integer, Refusal> refused, long errors, List<String> errorLog) {

    public LoadResult {
        refused = Map.copyOf(refused);
        errorLog = List.copyOf(errorLog);
    }

    /** PUBACK latency of the acknowledged batches, in milliseconds. */
    public record Latency(long count, double p50, double p95, double p99, double max) {
        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(95) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                    micros.getMaxValue() / 1000.0);
        }
    }

    /** @param firstReason the reason string of the first such PUBACK, or null */
    public record Refusal(long batches, String firstReason) {
    }

    /** A run that failed before it sent anything (a gateway could not connect). */
    public static LoadResult notStarted(long errors, List<String> errorLog) {
        return new LoadResult(0, 0, 0, 0, new Latency(0, 0, 0, 0, 0), Map.of(), errors, errorLog);
    }

    /** Whether the run stopped before sending (see {@link #notStarted}). */
    public boolean started() {
        return seconds > 0 || batches > 0 || !refused.isEmpty();
    }

    /** Readings acknowledged per second of the timed run. */
    public double readingsPerSecond() {
        return seconds > 0 ? readings / seconds : 0;
    }

    public long refusedBatches() {
        return refused.values().stream().mapToLong(Refusal::batches).sum();
    }

    /** Every batch acknowledged: nothing refused, no error. */
    public boolean ok() {
        return refused.isEmpty() && errors == 0;
    }

    /** The summary {@code loadgen} prints at the end. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        if (!started()) {
            out.append(String.format(Locale.ROOT, "nothing sent: %,d errors%n", errors));
            errorLog.forEach(e -> out.append("  ").append(e).append('\n'));
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "acknowledged:   %,d readings in %,d batches (+ %,d events) in %.2f s%n",
                readings, batches, events, seconds));
        out.append(String.format(Locale.ROOT, "rate:           %,.0f readings/s (%,.1f batches/s)%n",
                readingsPerSecond(), seconds > 0 ? batches / seconds : 0));
        out.append(String.format(Locale.ROOT,
                "PUBACK latency: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%,d batches)%n",
                latency.p50(), latency.p95(), latency.p99(), latency.max(), latency.count()));
        if (refused.isEmpty()) {
            out.append("refused:        none\n");
        } else {
            out.append(String.format(Locale.ROOT, "refused:        %,d batches%n", refusedBatches()));
            refused.forEach((code, r) -> out.append(String.format(Locale.ROOT, "  %s: %,d batches%n",
                    PubackPolicy.describe(code, r.firstReason()), r.batches())));
        }
        if (errors == 0) {
            out.append("errors:         none\n");
        } else {
            out.append(String.format(Locale.ROOT, "errors:         %,d%n", errors));
            errorLog.forEach(e -> out.append("  ").append(e).append('\n'));
            if (errors > errorLog.size()) {
                out.append(String.format(Locale.ROOT, "  ... and %,d more%n", errors - errorLog.size()));
            }
        }
        return out.toString();
    }
}

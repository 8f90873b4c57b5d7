package org.smartschool.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a batch's PUBACK latency goes: the hub's stage timers read from its {@code /metrics} before and after a
 * phase, printed as the phase's mean and the bucket its 99th percentile falls in, per stage. The stages, in a
 * batch's order: waiting for a decode thread, decoding, waiting for a store thread, storing (of which: line
 * protocol, waiting for a write request to carry it, the request itself), the hop back to the event loop; and the
 * whole from arrival to PUBACK.
 */
final class StageTimes {
    /** Prometheus base names and their short labels. */
    private static final Map<String, String> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("hub_batch_decode_queue_seconds", "decode queue");
        STAGES.put("hub_batch_decode_seconds", "decode");
        STAGES.put("hub_batch_store_queue_seconds", "store queue");
        STAGES.put("hub_batch_store_seconds", "store");
        STAGES.put("hub_influx_render_seconds", "  line protocol");
        STAGES.put("hub_influx_write_wait_seconds", "  wait for a write");
        STAGES.put("hub_influx_write_request_seconds", "  write request");
        STAGES.put("hub_state_record_seconds", "  batch id (state)");
        STAGES.put("hub_batch_ack_handoff_seconds", "to event loop");
        STAGES.put("hub_batch_ack_seconds", "arrival to PUBACK");
    }

    /** Once per InfluxDB request (not per batch): its time, and its points. */
    private static final String REQUESTS = "hub_influx_requests_seconds";
    private static final String REQUEST_POINTS = "hub_influx_requests_points";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Per stage: count, sum in seconds, and cumulative bucket counts by upper bound. */
    private final Map<String, Stage> stages;
    private final long nanos = System.nanoTime();

    private StageTimes(Map<String, Stage> stages) {
        this.stages = stages;
    }

    /**
     * The hub's InfluxDB requests between {@code before} and this: how many, their mean points, how many were under
     * way on average (their summed time over the wall time), their mean time and the bucket of their 99th percentile.
     */
    record Requests(long count, double meanPoints, double meanInFlight, double meanMillis, String p99) {
        String line() {
            return String.format(Locale.ROOT, "the hub's InfluxDB requests: %,d of %,.0f points, %.2f under way on average,"
                    + " each %.1f ms mean, p99 %s ms", count, meanPoints, meanInFlight, meanMillis, p99);
        }
    }

    /** Null when the hub has no InfluxDB store (no such timers) or made no request meanwhile. */
    Requests requests(StageTimes before) {
        Stage now = stages.get(REQUESTS);
        Stage then = before.stages.get(REQUESTS);
        double count = now.count - then.count;
        if (count <= 0) {
            return null;
        }
        double seconds = now.sum - then.sum;
        double points = stages.get(REQUEST_POINTS).sum - before.stages.get(REQUEST_POINTS).sum;
        return new Requests((long) count, points / count, seconds / ((nanos - before.nanos) / 1e9), seconds / count * 1000,
                p99(now, then, count));
    }

    private static String p99(Stage now, Stage then, double count) {
        for (Map.Entry<Double, Double> b : now.buckets.entrySet()) {
            double below = b.getValue() - then.buckets.getOrDefault(b.getKey(), 0.0);
            if (below >= count * 0.99) {
                return b.getKey().isInfinite() ? "> 30000" : String.format(Locale.ROOT, "<= %.0f", b.getKey() * 1000);
            }
        }
        return "?";
    }

    /** The hub's timers now; null when its /metrics does not answer (the figures are extra, not the benchmark). */
    static StageTimes read(int httpPort) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            return parse(response.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static StageTimes parse(String metrics) {
        Map<String, Stage> out = new LinkedHashMap<>();
        for (String name : STAGES.keySet()) {
            out.put(name, new Stage());
        }
        out.put(REQUESTS, new Stage());
        out.put(REQUEST_POINTS, new Stage());
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            for (Map.Entry<String, Stage> e : out.entrySet()) {
                String name = e.getKey();
                if (!line.startsWith(name + "_")) {
                    continue;
                }
                String rest = line.substring(name.length() + 1);
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (rest.startsWith("count")) {
                    e.getValue().count = value;
                } else if (rest.startsWith("sum")) {
                    e.getValue().sum = value;
                } else if (rest.startsWith("bucket")) {
                    int le = rest.indexOf("le=\"");
                    String bound = rest.substring(le + 4, rest.indexOf('"', le + 4));
                    double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                    e.getValue().buckets.put(upper, value);
                }
            }
        }
        return new StageTimes(out);
    }

    /** One line per stage for the phase from {@code before} to this. */
    String since(StageTimes before) {
        StringBuilder text = new StringBuilder("where the time goes (mean / p99 bucket, ms):");
        for (Map.Entry<String, String> e : STAGES.entrySet()) {
            Stage now = stages.get(e.getKey());
            Stage then = before.stages.get(e.getKey());
            double count = now.count - then.count;
            if (count <= 0) {
                continue;
            }
            double mean = (now.sum - then.sum) / count * 1000;
            String p99 = p99(now, then, count);
            text.append(String.format(Locale.ROOT, "%n    %-20s %8.1f / %-8s (%,.0f)", e.getValue(), mean, p99, count));
        }
        return text.toString();
    }

    private static final class Stage {
        private double count;
        private double sum;
        private final TreeMap<Double, Double> buckets = new TreeMap<>();
    }
}

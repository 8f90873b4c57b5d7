package org.smartschool.hub.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HttpConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.config.StoreConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.TestPostgres;

/**
 * The hub's part of issue 9's delivery benchmark: attendance decisions arriving in gateways' batches (Paho MQTT 5,
 * the batch codec) at {@code rate} decisions/s spread over {@code schools} gateways for {@code seconds}, each
 * gateway publishing every 100 ms what it decided since (as its uplink sends an urgent record at once), to the
 * SMS's webhook receiver (a real HTTP server in this process). Latency is from the batch's publish to the
 * webhook's arrival: the hub's ledger transaction, the time-series counts, the PUBACK and the webhook queue.
 * State database and time series: SQLite files in a temporary directory (the hub's defaults); with
 * {@code --state=postgres} the state (ledger, webhook queue, batch ids) in a new database of the PostgreSQL at
 * {@code SS_TEST_PG_URL} with a pool of 8 as in {@code deploy/hub.yaml}, dropped at the end.
 *
 * <pre>
 * java -cp ... org.smartschool.hub.bench.AttendanceWebhookBenchmark [schools=10] [rate=500] [seconds=60] \
 *     [webhook|nowebhook] [warmup=10] [--state=postgres]
 * </pre>
 *
 * The figures are printed for all decisions, per 10 s of sending (the first window carries the cold start: the JIT
 * compiling the hub's path) and for the decisions sent after the first {@code warmup} seconds.
 */
public final class AttendanceWebhookBenchmark {
    private static final long TICK_MILLIS = 100;

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(1); // the hub's threads would keep the process alive
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        boolean postgres = Arrays.asList(args).contains("--state=postgres");
        args = Arrays.stream(args).filter(a -> !a.equals("--state=postgres")).toArray(String[]::new);
        int schools = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        // "nowebhook": the ledger, counts and PUBACK alone (no subscription), latency from publish to PUBACK
        boolean webhook = args.length <= 3 || !args[3].equals("nowebhook");
        // "warmup=N": the first N of the seconds are sent alike but left out of the figures after the per-window ones
        int warmup = args.length > 4 && args[4].startsWith("warmup=") ? Integer.parseInt(args[4].substring(7)) : 10;
        Path dir = Files.createTempDirectory("attendance-webhook");
        List<GatewayConfig> gateways = new ArrayList<>();
        for (int s = 0; s < schools; s++) {
            gateways.add(new GatewayConfig("gw-att-" + s, school(s), "secret-att-" + s));
        }
        HubConfig config = new HubConfig(new HttpConfig("127.0.0.1", 0), new MqttConfig("127.0.0.1", 0, 256 * 1024),
                new StoreConfig(dir.resolve("hub-store.db").toString()), gateways);
        TestPostgres stateDatabase = postgres ? TestPostgres.create("attbench") : null;
        if (postgres) {
            config = config.withState(new StateConfig(stateDatabase.url(), "", "", 8));
        }
        Vertx vertx = Vertx.vertx();
        Hub hub = HubFixture.start(vertx, config);
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Long> latency = new ConcurrentHashMap<>();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<Long> pubacks = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpServer sms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sms.setExecutor(Executors.newFixedThreadPool(16));
        sms.createContext("/hooks", ex -> {
            long now = System.nanoTime();
            String id = new JsonObject(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getJsonObject("data").getString("eventId");
            Long at = sent.get(id);
            if (at != null && latency.putIfAbsent(id, now - at) != null) {
                duplicates.incrementAndGet();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        sms.start();
        Http http = Http.admin(hub); // an admin token: reads and webhooks need a credential
        Http.Response subscribed = !webhook ? new Http.Response(201, "", "") : http.send("POST", "/api/v1/webhooks", new JsonObject().put("id", "sms")
                .put("url", "http://127.0.0.1:" + sms.getAddress().getPort() + "/hooks")
                .put("events", new JsonArray().add("attendance.*")).encode());
        if (subscribed.status() != 201) {
            throw new IllegalStateException("cannot subscribe: " + subscribed.body());
        }
        List<TestGateway> clients = new ArrayList<>();
        for (GatewayConfig g : gateways) {
            clients.add(TestGateway.connect(hub.mqttPort(), g.school(), g.id(), "secret-att-" + g.id().substring(7)));
        }
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        int ticks = (int) (seconds * 1000 / TICK_MILLIS);
        double perTick = rate * TICK_MILLIS / 1000.0 / schools;
        AtomicLong learners = new AtomicLong();
        long writtenBefore = writtenBytes();
        long started = System.nanoTime();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        long[] tick = {0};
        double[] owed = new double[schools];
        publisher.scheduleAtFixedRate(() -> {
            if (tick[0]++ >= ticks) {
                return;
            }
            for (int s = 0; s < schools; s++) {
                owed[s] += perTick;
                int n = (int) owed[s];
                owed[s] -= n;
                if (n == 0) {
                    continue;
                }
                List<DeviceEvent> events = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long learner = learners.incrementAndGet();
                    // learners tap in no order of their ids: the counter times a number prime to 10^8, modulo 10^8
                    events.add(AttendanceMarks.asEvent(new AttendanceMark(eventId(learner), school(s), "r101", "reader-r101",
                            String.format("0792%08d", learner * 2_654_435_761L % 100_000_000), "c" + (learner % 40), day, "morning", null,
                            learner % 9 == 0 ? AttendanceCategory.LATE : AttendanceCategory.PRESENT, AttendanceMark.Cause.TAP,
                            System.currentTimeMillis())));
                }
                Batch batch = new Batch("gw-att-" + s + "-" + tick[0], "gw-att-" + s, school(s), List.of(), events);
                long now = System.nanoTime();
                events.forEach(e -> sent.put(e.id(), now));
                try {
                    clients.get(s).publishAsync(batch).setActionCallback(new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                        @Override
                        public void onSuccess(org.eclipse.paho.mqttv5.client.IMqttToken token) {
                            long acked = System.nanoTime();
                            events.forEach(e -> pubacks.add(acked - now));
                            if (!webhook) {
                                events.forEach(e -> latency.put(e.id(), acked - now));
                            }
                        }

                        @Override
                        public void onFailure(org.eclipse.paho.mqttv5.client.IMqttToken token, Throwable e) {
                            events.forEach(ev -> sent.remove(ev.id()));
                        }
                    });
                } catch (Exception e) {
                    // Paho's window of unacknowledged publishes is full: the hub is behind; counted, not sent
                    refused.incrementAndGet();
                    events.forEach(ev -> sent.remove(ev.id()));
                }
            }
        }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        long deadline = started + TimeUnit.SECONDS.toNanos(seconds + 120L);
        while (System.nanoTime() < deadline && (tick[0] < ticks || latency.size() < sent.size())) {
            Thread.sleep(200);
        }
        publisher.shutdownNow();
        long written = writtenBytes() - writtenBefore;
        long[] nanos = latency.values().stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("attendance decisions: %d sent by %d gateways at %d/s for %d s (%d batches not sent: Paho's"
                        + " window full), %d %s, %d duplicates%n", sent.size(), schools, rate, seconds, refused.get(), nanos.length,
                webhook ? "at the webhook" : "acknowledged", duplicates.get());
        long[] acks;
        synchronized (pubacks) {
            acks = pubacks.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        if (acks.length > 0) {
            System.out.printf("batch publish -> PUBACK (per decision): p50 %.1f ms, p99 %.1f ms%n", pct(acks, 0.50), pct(acks, 0.99));
        }
        if (nanos.length > 0) {
            System.out.printf((webhook ? "batch publish -> webhook" : "batch publish -> PUBACK") + ": p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pct(nanos, 0.50), pct(nanos, 0.95), pct(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
        }
        // per 10 s of sending: the first window carries the cold start (the JIT compiling the hub's path), later ones
        // the hub as it runs for days
        java.util.TreeMap<Long, List<Long>> windows = new java.util.TreeMap<>();
        List<Long> afterWarmup = new ArrayList<>();
        latency.forEach((id, l) -> {
            Long at = sent.get(id);
            if (at != null) {
                windows.computeIfAbsent((at - started) / 10_000_000_000L, w -> new ArrayList<>()).add(l);
                if (at - started >= TimeUnit.SECONDS.toNanos(warmup)) {
                    afterWarmup.add(l);
                }
            }
        });
        StringBuilder perWindow = new StringBuilder();
        windows.forEach((w, ls) -> {
            long[] sorted = ls.stream().mapToLong(Long::longValue).sorted().toArray();
            perWindow.append(perWindow.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", pct(sorted, 0.99)));
        });
        System.out.println((webhook ? "batch publish -> webhook" : "batch publish -> PUBACK") + " p99 per 10 s of sending: "
                + perWindow + " ms");
        if (!afterWarmup.isEmpty()) {
            long[] sorted = afterWarmup.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "after the first %d s (%d decisions): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    warmup, sorted.length, pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        }
        System.out.printf("hub_attendance_events_total recorded %.0f, replayed %.0f%n",
                http.metric("hub_attendance_events_total{result=\"recorded\"}"),
                http.metric("hub_attendance_events_total{result=\"replayed\"}"));
        if (writtenBefore >= 0 && !sent.isEmpty()) {
            // the hub is this process's only writer: its state database (unless PostgreSQL's), its time series and
            // their WAL checkpoints
            System.out.printf(Locale.ROOT, "the hub's disk writes%s: %.1f MB, %.1f KB per decision%n",
                    postgres ? " (PostgreSQL's own not counted)" : "", written / 1e6, written / 1e3 / sent.size());
        }
        System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
        clients.forEach(TestGateway::close);
        HubFixture.await(hub.close());
        sms.stop(0);
        if (stateDatabase != null) {
            stateDatabase.close();
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /**
     * As spread as a gateway's ids (an HMAC, {@code AttendanceRegister.eventId}): a counter would put every insert
     * into the same last page of each index keyed by the id and hide what the hub writes per decision.
     */
    private static String eventId(long learner) {
        return "att-" + java.util.UUID.nameUUIDFromBytes(Long.toString(learner).getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes this process has sent towards the disk so far (Linux: {@code /proc/self/io}), -1 where unknown. */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).strip());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the line is left out
        }
        return -1;
    }

    private static String school(int s) {
        return String.format("bench-att-s%03d", s);
    }

    static {
        // quiet: the benchmark prints its own lines
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.smartschool")).setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private AttendanceWebhookBenchmark() {
    }

}

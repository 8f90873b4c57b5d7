package org.smartschool.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.config.GatewayConfig.NorthSettings;
import org.smartschool.gateway.config.GatewayConfig.OutboxSettings;
import org.smartschool.gateway.config.GatewayConfig.SouthSettings;
import org.smartschool.gateway.config.GatewayConfig.UplinkSettings;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.testsupport.TestBroker;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HttpConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.config.StoreConfig;
import org.smartschool.hub.registry.School;
import org.smartschool.hub.roster.RosterExamples;
import org.smartschool.hub.testsupport.GeneratedRoster;
import org.smartschool.hub.testsupport.GeneratedRoster.Learner;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TemporaryFiles;
import org.smartschool.hub.testsupport.TestInflux;
import org.smartschool.hub.testsupport.TestPostgres;
import org.smartschool.hub.testsupport.WebhookReceiver;

/**
 * Issue 9's end-to-end latency: a card tap at a classroom door to the SMS's webhook, every part real. {@code schools}
 * schools, each with its own edge gateway ({@link Gateway}: default uplink, outbox file, the card-reader route) on the
 * real Mosquitto of {@code SS_TEST_MQTT_URL}, all connected to one hub in this process (SQLite state and time series
 * in a temporary directory, the hub's defaults) that forwards attendance to a real HTTP receiver through a webhook
 * subscription. Each school's roster (30 homerooms, one door reader each) is imported through the hub's API, which
 * sends it to the school's gateway. The gateways judge on a clock that shows 06:58 school time when they start and
 * runs in real time, so the morning session (07:00, taps from 06:30 count, present until 07:10) is on at any hour.
 *
 * <p>The door readers ({@link DoorReaders}) tap {@code rate} cards a second in all, spread over the schools and their
 * doors in turn, for {@code warmup} seconds (not counted) and then {@code seconds}: every tap is a distinct learner's
 * first of the session, so each gives exactly one {@code present} decision and one webhook. Measured from the tap's
 * publish: the door's answer (the gateway's decision, committed to its outbox; issue 9: p99 <= 20 ms), and the
 * webhook's arrival at the receiver, matched by learner (issue 9: p99 <= 250 ms). Also printed: the hub's own stages
 * for the measured taps' batches (arrival to PUBACK), from its {@code /metrics}, which the run reads every 10 s from
 * before the first tap, as Prometheus would. Between the warm-up and the measured taps the run waits for the
 * warm-up's webhooks and a quiet JIT ({@link #settle}); {@code --cold} goes straight on instead. Exits non-zero
 * when a tap has no webhook, a webhook id comes twice with different content, a webhook matches no tap, or a door's
 * answer is not green/present.
 *
 * <p>In a district each gateway has its own Raspberry Pi and SD card; here all gateways share the hub's disk, and
 * their outboxes' fsyncs (one per tap) wait with the hub's. {@code outboxes} puts the gateways' outbox files in
 * another directory (e.g. {@code /dev/shm}, memory: no fsync wait) to see the hub's part without them (a gateway's
 * own tap -> answer with its fsync is {@code AttendanceDecisionBenchmark}'s). Likewise the door readers are
 * simulated cheaply (Vert.x clients on one event loop) and the JIT needs minutes, not seconds, before C2 is done
 * with ten gateways and a hub in one JVM: a warm-up of 150 s leaves it 0.05 of a core in the measured minute, 10 s
 * a third of a core.
 *
 * <p>{@code --store-threads=N} sets the hub's {@code mqtt.storeThreads} (default 96).
 *
 * <p>The hub's stores are its defaults (SQLite for both) unless {@code --store=influx} (the time series in a new
 * database of the InfluxDB at {@code SS_TEST_INFLUX_URL}, a district's) or {@code --state=postgres} (the state, i.e.
 * the ledger, the webhook queue and the batch ids, in a new database of the PostgreSQL at {@code SS_TEST_PG_URL} with
 * a pool of 8 as in {@code deploy/hub.yaml}, a province's) is given; both databases are dropped at the end.
 *
 * <pre>
 * SS_TEST_MQTT_URL=tcp://127.0.0.1:21883 java -cp ... org.smartschool.hub.bench.TapToWebhookBenchmark \
 *     [schools=10] [rate=500] [seconds=60] [warmup=10] [outboxes=the run's temporary directory] \
 *     [--store=influx] [--state=postgres] [--cold] [--store-threads=N]
 * </pre>
 */
public final class TapToWebhookBenchmark {
    private static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    /** Homerooms per school, each with its door reader. */
    private static final int DOORS = 30;
    /** The gateways' school clock at their start: the morning session (07:00) opens to taps at 06:30. */
    private static final LocalTime CLOCK_FROM = LocalTime.of(6, 58);
    private static final long SCRAPE_SECONDS = 10;
    /** Taps after 07:10 would be late, and at 07:20 the absences of the learners not come yet would go out too. */
    private static final int MAX_RUN_SECONDS = 10 * 60;
    private static final Duration SETUP_WAIT = Duration.ofSeconds(60);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(120);
    /** The webhook's p99 is also printed per this many seconds of taps: a stall of the machine shows in one of them. */
    private static final int WINDOW_SECONDS = 10;
    private static final String STORE_THREADS = "--store-threads=";
    private static final List<String> FLAGS = List.of("--store=sqlite", "--store=influx", "--state=sqlite",
            "--state=postgres", "--cold");

    public static void main(String[] args) {
        int status;
        try {
            status = run(args) ? 0 : 1;
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 2;
        }
        System.exit(status); // the hub's and gateways' threads would keep the process alive
    }

    /** @return whether every tap got its webhook and its answer as expected */
    private static boolean run(String[] options) throws Exception {
        List<String> flags = java.util.Arrays.stream(options).filter(o -> o.startsWith("--")).toList();
        String[] args = java.util.Arrays.stream(options).filter(o -> !o.startsWith("--")).toArray(String[]::new);
        boolean influx = flags.contains("--store=influx");
        boolean postgres = flags.contains("--state=postgres");
        boolean settle = !flags.contains("--cold");
        int storeThreads = flags.stream().filter(f -> f.startsWith(STORE_THREADS))
                .mapToInt(f -> Integer.parseInt(f.substring(STORE_THREADS.length()))).findFirst().orElse(MqttConfig.DEFAULT_STORE_THREADS);
        List<String> unknown = flags.stream().filter(f -> !FLAGS.contains(f) && !f.startsWith(STORE_THREADS)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + unknown + ", known: " + FLAGS + " and " + STORE_THREADS + "N");
        }
        int schools = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        if (schools < 1 || rate < 1 || seconds < 1 || warmup < 0 || warmup + seconds > MAX_RUN_SECONDS) {
            throw new IllegalArgumentException("usage: [schools>=1] [rate>=1] [seconds>=1] [warmup>=0] [outboxes=DIR],"
                    + " warmup + seconds <= " + MAX_RUN_SECONDS);
        }
        String loadBefore = loadAverage();
        long setupStart = System.nanoTime();
        String broker = TestBroker.mqttUrl();
        String run = "tapbench-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        int taps = Math.toIntExact((long) rate * (warmup + seconds));
        int measuredFrom = rate * warmup;
        LocalDate day = LocalDate.now(ZONE);
        Path dir = Files.createTempDirectory("tap-to-webhook");
        Path outboxes = args.length > 4 ? Files.createTempDirectory(Path.of(args[4]), "tap-to-webhook-outboxes") : dir;

        List<GeneratedRoster> rosters = new ArrayList<>();
        List<School> registered = new ArrayList<>();
        List<GatewayConfig> gatewayAccounts = new ArrayList<>();
        for (int s = 0; s < schools; s++) {
            // tap n is school n % schools's learner n / schools: every learner taps once
            GeneratedRoster roster = GeneratedRoster.of(school(s), (taps + schools - 1) / schools, DOORS, day, 0);
            rosters.add(roster);
            registered.add(roster.registered("Trường " + s, gatewayId(s)));
            gatewayAccounts.add(new GatewayConfig(gatewayId(s), school(s), secret(s)));
        }
        Path inventory = GeneratedRoster.writeInventory(dir.resolve("inventory.yaml"), registered);
        StoreConfig store = new StoreConfig(dir.resolve("hub-store.db").toString());
        String influxDatabase = influx ? TestInflux.uniqueDatabase(TapToWebhookBenchmark.class) : null;
        if (influx) {
            store = store.withInflux(TestInflux.config(TestInflux.url(), influxDatabase));
        }
        MqttConfig mqtt = new MqttConfig("127.0.0.1", 0, MqttConfig.ONE_MIB).withThreads(MqttConfig.DEFAULT_DECODE_THREADS, storeThreads);
        HubConfig config = new HubConfig(new HttpConfig("127.0.0.1", 0), mqtt, store, gatewayAccounts)
                .withRegistry(new RegistryConfig(inventory.toString(), ""));
        TestPostgres stateDatabase = postgres ? TestPostgres.create("tapbench") : null;
        if (postgres) {
            config = config.withState(new StateConfig(stateDatabase.url(), "", "", 8));
        }
        Vertx vertx = Vertx.vertx();
        Hub hub = HubFixture.start(vertx, config);
        WebhookReceiver sms = WebhookReceiver.start();
        Http http = Http.admin(hub);
        Http.Response subscribed = http.send("POST", "/api/v1/webhooks", new JsonObject().put("id", "sms")
                .put("url", sms.url()).put("events", new JsonArray().add("attendance.*")).encode());
        if (subscribed.status() != 201) {
            throw new IllegalStateException("cannot subscribe: " + subscribed.body());
        }
        for (GeneratedRoster roster : rosters) {
            Http.Response imported = http.sendBytes("PUT", "/api/v1/schools/" + roster.school() + "/roster?format=csv",
                    RosterExamples.zip(roster.csvFiles()), "application/zip");
            if (imported.status() != 200) {
                throw new IllegalStateException("roster of " + roster.school() + " not imported: " + imported.body());
            }
        }

        setup("rosters imported", setupStart);
        long clockOffset = day.atTime(CLOCK_FROM).atZone(ZONE).toInstant().toEpochMilli() - System.currentTimeMillis();
        LongSupplier schoolClock = () -> System.currentTimeMillis() + clockOffset;
        LongUnaryOperator tapTime = received -> received + clockOffset;
        Map<String, String> topicBase = new LinkedHashMap<>();
        Map<String, List<String>> doors = new LinkedHashMap<>();
        List<Gateway> gateways = new ArrayList<>();
        for (int s = 0; s < schools; s++) {
            topicBase.put(school(s), "doors-" + run + "-s" + s);
            doors.put(school(s), rosters.get(s).rooms());
            gateways.add(Gateway.start(gatewayConfig(s, outboxes, broker, run, topicBase.get(school(s)), hub.mqttPort()),
                    CodecRegistry.standard(), new SimpleMeterRegistry(), schoolClock, tapTime));
        }
        for (int s = 0; s < schools; s++) {
            Gateway gateway = gateways.get(s);
            int learners = rosters.get(s).learners().size();
            Poll.until(SETUP_WAIT, gatewayId(s) + " subscribed, connected and holding its roster", () -> gateway.southSubscribed()
                    && gateway.status().northConnected() && gateway.attendance().on()
                    && gateway.attendance().plan().learners().size() == learners);
        }
        setup("gateways subscribed, connected and holding their rosters", setupStart);
        DoorReaders readers = new DoorReaders(broker, run, topicBase, doors, taps, "present");
        setup("door readers connected", setupStart);
        // the hub's /metrics is read every 10 s from here to the end, as Prometheus scrapes a hub in service: a first
        // read when the measured taps begin made the JIT throw away code the hub's hot paths share with it (Netty's
        // writes, the JDK's HTTP client: 47 methods "made not entrant" in that second, against 1-5 a second before)
        // and put a 200-600 ms tail into the first 10 s of nearly every measured minute
        ScheduledExecutorService scrapes = Executors.newSingleThreadScheduledExecutor();
        scrapes.scheduleAtFixedRate(() -> StageTimes.read(hub.httpPort()), 0, SCRAPE_SECONDS, TimeUnit.SECONDS);

        // who tapped when: the webhook names the school and the learner (generated ids repeat from school to school)
        Map<String, Integer> tapOf = new HashMap<>(taps * 2);
        for (int n = 0; n < taps; n++) {
            tapOf.put(Report.tapKey(school(n % schools), learner(rosters, n).id()), n);
        }
        System.out.printf(Locale.ROOT, "%d schools (a gateway each, %d doors), %d taps/s for %d s after %d s of warm-up"
                + " (%,d taps); the gateways' outboxes in %s; the hub's time series in %s, its state in %s; load average %s%n",
                schools, DOORS, rate, seconds, warmup, taps, outboxes, influx ? "InfluxDB" : "SQLite",
                postgres ? "PostgreSQL" : "SQLite", loadBefore);
        java.util.concurrent.CompletableFuture<StageTimes> stagesBefore = null;
        CpuUse cpu = CpuUse.now();
        long start = System.nanoTime();
        long phaseStart = start;
        int phaseFirst = 0;
        long maxLagNanos = 0;
        for (int n = 0; n < taps; n++) {
            if (n == measuredFrom && settle && n > 0) {
                settle(sms, measuredFrom);
                cpu = CpuUse.now();
                phaseStart = System.nanoTime();
                phaseFirst = n;
            }
            long due = phaseStart + (long) ((n - phaseFirst) * 1e9 / rate);
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            } else {
                maxLagNanos = Math.max(maxLagNanos, now - due);
            }
            if (n == measuredFrom) {
                // read aside: the taps keep their pace
                stagesBefore = java.util.concurrent.CompletableFuture.supplyAsync(() -> StageTimes.read(hub.httpPort()));
            }
            Learner l = learner(rosters, n);
            readers.tap(n, school(n % schools), l.room(), l.uid());
        }
        double sentSeconds = (System.nanoTime() - start) / 1e9;
        double measuredSeconds = (System.nanoTime() - phaseStart) / 1e9;
        long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
        long expected = taps - readers.refusedPublishes();
        // counting the deliveries is cheap while the last ones come; their distinct ids are counted once after
        while (System.nanoTime() < deadline && (sms.deliveries().size() < expected || distinctIds(sms) < expected)) {
            Thread.sleep(50);
        }
        // a delivery the hub makes twice is counted before judging: every request it made has been answered
        Poll.until(Duration.ofSeconds(30), "every delivery the hub made settled",
                () -> http.metric("hub_webhook_deliveries_total{outcome=\"delivered\"}") >= sms.deliveries().size());
        String cpuUsed = CpuUse.now().since(cpu);
        StageTimes stagesAfter = StageTimes.read(hub.httpPort());
        String loadAfter = loadAverage();

        Report report = new Report(readers, tapOf, measuredFrom, taps, rate * WINDOW_SECONDS);
        sms.deliveries().forEach(report::delivered);
        System.out.printf(Locale.ROOT, "taps sent: %,d in %.1f s, the last %,d (measured) at %.0f/s; publisher at most %.1f ms behind"
                        + " schedule; %,d not sent (a reader's window full)%n", taps - readers.refusedPublishes(), sentSeconds,
                taps - phaseFirst, (taps - phaseFirst) / measuredSeconds, maxLagNanos / 1e6, readers.refusedPublishes());
        System.out.println(report.summary());
        StageTimes before = stagesBefore == null ? null : stagesBefore.get();
        if (before != null && stagesAfter != null) {
            System.out.println("the hub, for the measured taps' batches: " + stagesAfter.since(before));
        }
        System.out.println(cpuUsed);
        System.out.println("load average: before " + loadBefore + ", after " + loadAfter);

        scrapes.shutdownNow();
        readers.close();
        for (Gateway g : gateways) {
            g.close();
            // the gateway's persistent session on the shared broker is of no use after the run
            BrokerClients.forgetSession(broker, g.config().southClientId());
        }
        HubFixture.await(hub.close());
        sms.close();
        TemporaryFiles.delete(outboxes);
        TemporaryFiles.delete(dir);
        if (stateDatabase != null) {
            stateDatabase.close();
        }
        if (influxDatabase != null) {
            TestInflux.dropDatabase(TestInflux.url(), influxDatabase);
        }
        return report.passed();
    }

    private static org.smartschool.gateway.config.GatewayConfig gatewayConfig(int s, Path dir, String broker, String run,
                                                                              String topicBase, int hubMqttPort) {
        OutboxSettings outboxDefaults = OutboxSettings.defaults();
        return new org.smartschool.gateway.config.GatewayConfig(gatewayId(s), school(s),
                SouthSettings.defaults().withUrl(broker)
                        .withRoutes(List.of(new TopicRoute(topicBase + "/{room}/{device}", "card-reader")))
                        .withClientId("gw-" + run + "-" + s),
                new NorthSettings("tcp://127.0.0.1:" + hubMqttPort, secret(s)),
                new OutboxSettings(dir.resolve(gatewayId(s) + "-outbox.db").toString(), outboxDefaults.maxRecords(),
                        outboxDefaults.maxDeadLetters()),
                UplinkSettings.defaults());
    }

    private static Learner learner(List<GeneratedRoster> rosters, int n) {
        return rosters.get(n % rosters.size()).learners().get(n / rosters.size());
    }

    private static long distinctIds(WebhookReceiver sms) {
        return sms.deliveries().stream().map(WebhookReceiver.Delivery::id).distinct().count();
    }

    private static String school(int s) {
        return String.format("bench-tap-s%03d", s);
    }

    private static String gatewayId(int s) {
        return "gw-tap-" + s;
    }

    private static String secret(int s) {
        return "secret-tap-" + s;
    }

    /**
     * Between the warm-up and the measured taps: waits until every warm-up tap's webhook has arrived and then until the
     * JIT has had nothing to compile for 2 s, so the measured minute starts on a hub that is neither catching up a
     * cold start's backlog nor still compiling its code (which took a third of a core through a whole minute of taps
     * without this). A hub in service runs for weeks: its minute at 500 taps/s is a warm one.
     */
    private static void settle(WebhookReceiver sms, int warmupTaps) throws Exception {
        long started = System.nanoTime();
        Poll.until(DRAIN_WAIT, "the warm-up's " + warmupTaps + " webhooks", () -> sms.deliveries().size() >= warmupTaps
                && distinctIds(sms) >= warmupTaps);
        double drained = (System.nanoTime() - started) / 1e9;
        long jit = JitQuiet.await(2_000, 60_000);
        System.out.printf(Locale.ROOT, "settled after the warm-up: its webhooks all in after %.1f s, the JIT quiet %.1f s"
                + " later%n", drained, jit / 1e3);
    }

    private static void setup(String step, long startNanos) {
        System.out.printf(Locale.ROOT, "setup: %s after %.1f s%n", step, (System.nanoTime() - startNanos) / 1e9);
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    /**
     * CPU time of this JVM (the hub, the gateways, the door readers and the receiver) and of the machine's Mosquitto
     * processes: the figures mean little when the two cores were not there for the run.
     */
    private record CpuUse(long nanos, CpuSplit threads, long mosquittoMillis) {
        /** Who plays what in this JVM, by a part of the thread's name (the first match wins). */
        private static final Map<String, String> ROLES = new LinkedHashMap<>();

        static {
            // the gateways' threads and their Paho clients carry the gateway's id ("south-writer gw-tap-3", "MQTT Call: gw-...")
            ROLES.put("gw-", "gateways");
            ROLES.put(DoorReaders.THREAD, "door readers");
            ROLES.put("hub-", "hub");
            ROLES.put("vert.x-", "hub");
            ROLES.put("webhook-", "hub");
            ROLES.put("HttpClient-", "hub");
            ROLES.put("HTTP-Dispatcher", "SMS receiver");
            ROLES.put("Thread-", "other unnamed");
            ROLES.put("main", "benchmark's publisher");
        }

        static CpuUse now() {
            long mosquitto = ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().orElse("").endsWith("/mosquitto"))
                    .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)).sum();
            return new CpuUse(System.nanoTime(), CpuSplit.now(ROLES), mosquitto);
        }

        String since(CpuUse start) {
            double seconds = (nanos - start.nanos) / 1e9;
            return String.format(Locale.ROOT, "CPU from the first tap to the last webhook (%.1f s): %s, Mosquitto %.2f, of"
                            + " the machine's %d", seconds, threads.coresSince(start.threads),
                    (mosquittoMillis - start.mosquittoMillis) / 1e3 / seconds, Runtime.getRuntime().availableProcessors());
        }
    }

    /** The webhooks matched to the taps, and the latencies of the measured ones. */
    private static final class Report {
        private final DoorReaders readers;
        private final Map<String, Integer> tapOf;
        private final int measuredFrom;
        private final int taps;
        private final int tapsPerWindow;
        private final Map<String, JsonObject> firstById = new HashMap<>();
        private final long[] webhookNanos;
        private long duplicates;
        private long conflicts;
        private long unexpected;

        Report(DoorReaders readers, Map<String, Integer> tapOf, int measuredFrom, int taps, int tapsPerWindow) {
            this.readers = readers;
            this.tapsPerWindow = tapsPerWindow;
            this.tapOf = tapOf;
            this.measuredFrom = measuredFrom;
            this.taps = taps;
            this.webhookNanos = new long[taps];
        }

        void delivered(WebhookReceiver.Delivery d) {
            JsonObject data = d.json().getJsonObject("data");
            JsonObject before = firstById.putIfAbsent(d.id(), data);
            if (before != null) {
                if (before.equals(data)) {
                    duplicates++;
                } else {
                    conflicts++;
                }
                return;
            }
            Integer n = tapOf.get(tapKey(data.getString("school"), data.getString("learnerId")));
            if (n == null || !"present".equals(data.getString("category")) || webhookNanos[n] != 0) {
                unexpected++; // no such tap, another decision than the tap's, or a second decision of that learner
                return;
            }
            webhookNanos[n] = d.receivedNanos();
        }

        static String tapKey(String school, String learnerId) {
            return school + "/" + learnerId;
        }

        /** Taps published whose webhook did not come. */
        long missing() {
            long missing = 0;
            for (int n = 0; n < taps; n++) {
                if (readers.publishedNanos(n) != 0 && webhookNanos[n] == 0) {
                    missing++;
                }
            }
            return missing;
        }

        long unanswered() {
            long missing = 0;
            for (int n = 0; n < taps; n++) {
                if (readers.publishedNanos(n) != 0 && readers.answeredNanos(n) == 0) {
                    missing++;
                }
            }
            return missing;
        }

        boolean passed() {
            return missing() == 0 && conflicts == 0 && unexpected == 0 && unanswered() == 0
                    && readers.unexpectedAnswers() == 0 && readers.unmatchedAnswers() == 0;
        }

        String summary() {
            Histogram toWebhook = new Histogram(3_600_000_000L, 3);
            Histogram toAnswer = new Histogram(3_600_000_000L, 3);
            List<Histogram> windows = new ArrayList<>();
            for (int n = measuredFrom; n < taps; n++) {
                if ((n - measuredFrom) % tapsPerWindow == 0) {
                    windows.add(new Histogram(3_600_000_000L, 3));
                }
                long published = readers.publishedNanos(n);
                if (published == 0) {
                    continue;
                }
                if (webhookNanos[n] != 0) {
                    toWebhook.recordValue(Math.max(0, webhookNanos[n] - published) / 1_000);
                    windows.get(windows.size() - 1).recordValue(Math.max(0, webhookNanos[n] - published) / 1_000);
                }
                if (readers.answeredNanos(n) != 0) {
                    toAnswer.recordValue(Math.max(0, readers.answeredNanos(n) - published) / 1_000);
                }
            }
            return String.format(Locale.ROOT, "webhooks received: %,d distinct ids, %,d duplicates (same content), %,d with"
                            + " other content under a seen id, %,d matching no tap; missing %,d; door answers missing %,d, not"
                            + " green/present %,d, matching no tap %,d%n%s%n%s",
                    firstById.size(), duplicates, conflicts, unexpected, missing(), unanswered(), readers.unexpectedAnswers(),
                    readers.unmatchedAnswers(), line("tap -> SMS webhook", toWebhook), line("tap -> door answer", toAnswer))
                    + String.format(Locale.ROOT, "%ntap -> SMS webhook p99 per %d s of taps: %s ms", WINDOW_SECONDS,
                            String.join(", ", windows.stream().map(h -> String.format(Locale.ROOT, "%.0f",
                                    h.getValueAtPercentile(99) / 1000.0)).toList()));
        }

        private static String line(String what, Histogram micros) {
            return String.format(Locale.ROOT, "%s (%,d measured taps): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
                    what, micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(95) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                    micros.getMaxValue() / 1000.0);
        }
    }

    static {
        // quiet: the benchmark prints its own lines
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.smartschool")).setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private TapToWebhookBenchmark() {
    }
}

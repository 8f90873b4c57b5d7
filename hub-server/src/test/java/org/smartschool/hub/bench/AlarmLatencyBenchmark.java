package org.smartschool.hub.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.config.GatewayConfig.NorthSettings;
import org.smartschool.gateway.config.GatewayConfig.OutboxSettings;
import org.smartschool.gateway.config.GatewayConfig.SouthSettings;
import org.smartschool.gateway.config.GatewayConfig.UplinkSettings;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.testsupport.TestBroker;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HttpConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.InfluxConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.StoreConfig;
import org.smartschool.hub.loadgen.GatewayCredential;
import org.smartschool.hub.loadgen.LoadResult;
import org.smartschool.hub.loadgen.LoadRun;
import org.smartschool.hub.loadgen.SchoolBatches;

/**
 * Issue 8's benchmark: from the moment a school's CO2 sensor publishes a reading that meets the
 * rule (or ends it) to the alarm step visible in the hub's API and received by a webhook, at
 * district load. Every part is real and in this process: Mosquitto (the schools' broker, shared,
 * topics apart), one edge gateway per school with its SQLite outbox and the default rules, the hub
 * (InfluxDB store when {@code SS_TEST_INFLUX_URL} is set, else SQLite) and a webhook receiver.
 *
 * <p>Background: every school's 40 rooms publish 7 quantities every 10 s (28 readings/s a school,
 * 2,800 for 100 schools), with values inside every rule's limits. The {@code gateways} schools with a
 * real gateway publish theirs through Mosquitto; the rest of the district's {@code districtSchools}
 * reach the hub from {@code loadgen}'s gateways (a batch of 28 readings a second each, as a real
 * gateway's linger sends them), since 100 gateways in this process would measure 100 Raspberry Pis'
 * work squeezed onto this machine's cores. On top, each real gateway's sensor
 * {@code r101/co2-bench} goes over 1000 ppm and back below 900 ppm {@code cycles} times at random
 * moments; each step is timed from the device's publish to (a) the webhook's arrival and (b) the
 * first poll of {@code GET /api/v1/alarms} that shows it (a poll every 50 ms: up to 50 ms late).
 *
 * <pre>
 * SS_TEST_MQTT_URL=tcp://127.0.0.1:1883 [SS_TEST_INFLUX_URL=http://127.0.0.1:8086] \
 *   java -cp ... org.smartschool.hub.bench.AlarmLatencyBenchmark [gateways=10] [cycles=10] [districtSchools=100]
 * </pre>
 */
public final class AlarmLatencyBenchmark {
    private static final int ROOMS = 40;
    private static final long PERIOD_MILLIS = 10_000;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One alarm step the receiver got: when, and which alarm. */
    private record Received(long atNanos, String alarmId) {
    }

    private final int schools;
    private final int cycles;
    private final int districtSchools;
    private final String run = "ab" + UUID.randomUUID().toString().substring(0, 6);
    private final Map<String, BlockingQueue<Received>> raisedBySchool = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<Received>> clearedBySchool = new ConcurrentHashMap<>();
    private final Map<String, Long> apiActiveSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> apiClearedSeen = new ConcurrentHashMap<>();
    private final Map<String, Integer> deliveriesById = new ConcurrentHashMap<>();
    private final List<Long> webhookRaise = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> webhookClear = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> apiRaise = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> apiClear = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> both = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong backgroundMessages = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();

    private AlarmLatencyBenchmark(int schools, int cycles, int districtSchools) {
        this.schools = schools;
        this.cycles = cycles;
        this.districtSchools = Math.max(schools, districtSchools);
    }

    public static void main(String[] args) throws Exception {
        int gateways = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int districtSchools = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        new AlarmLatencyBenchmark(gateways, cycles, districtSchools).run();
        System.exit(0);
    }

    private static String school(int i) {
        return String.format("bench-s%03d", i);
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("alarm-latency");
        String broker = TestBroker.mqttUrl();
        List<GatewayConfig> hubGateways = new ArrayList<>();
        for (int i = 1; i <= schools; i++) {
            hubGateways.add(new GatewayConfig("gw-" + school(i), school(i), "secret-" + run + "-" + i));
        }
        List<GatewayCredential> loadgen = new ArrayList<>();
        for (int i = schools + 1; i <= districtSchools; i++) {
            loadgen.add(new GatewayCredential("loadgen-gw-" + i, "secret-" + run + "-" + i, school(i)));
            hubGateways.add(new GatewayConfig("loadgen-gw-" + i, school(i), "secret-" + run + "-" + i));
        }
        StoreConfig store = new StoreConfig(dir.resolve("hub-store.db").toString());
        String influx = System.getenv("SS_TEST_INFLUX_URL");
        if (influx != null && !influx.isBlank()) {
            store = store.withInflux(InfluxConfig.DEFAULT.withUrl(influx).withDatabase("alarm_bench_" + run));
        }
        HubConfig config = new HubConfig(new HttpConfig("127.0.0.1", 0), new MqttConfig("127.0.0.1", 0, MqttConfig.ONE_MIB),
                store, hubGateways);
        Vertx vertx = Vertx.vertx();
        Hub hub = Hub.start(vertx, config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        String api = "http://127.0.0.1:" + hub.httpPort();
        HttpServer receiver = startReceiver();
        subscribe(api, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");

        List<Gateway> gateways = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Gateway>> starting = new ArrayList<>();
        for (int i = 1; i <= schools; i++) {
            int n = i;
            starting.add(starter.submit(() -> startGateway(dir, broker, hub.mqttPort(), n)));
        }
        for (java.util.concurrent.Future<Gateway> f : starting) {
            gateways.add(f.get(120, TimeUnit.SECONDS));
        }
        starter.shutdown();
        await(Duration.ofSeconds(120), "every gateway connected to the broker and the hub",
                () -> gateways.stream().allMatch(g -> g.status().southConnected() && g.status().northConnected()));
        System.out.printf("%d gateways up, %d loadgen schools, hub store %s; background load %d readings/s%n", schools,
                loadgen.size(), store.kind(), districtSchools * ROOMS * 7 * 1000 / PERIOD_MILLIS);

        ScheduledExecutorService background = startBackground(broker);
        if (!loadgen.isEmpty()) {
            startLoadgen(hub.mqttPort(), loadgen);
        }
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        long since = System.currentTimeMillis() - 60_000;
        poller.scheduleWithFixedDelay(() -> pollApi(api, since), 0, 50, TimeUnit.MILLISECONDS);
        Thread.sleep(PERIOD_MILLIS); // one whole period of background load before the first step

        long started = System.nanoTime();
        long backgroundBefore = backgroundMessages.get();
        double storedBefore = storedReadings(api);
        ExecutorService drivers = Executors.newFixedThreadPool(schools);
        List<java.util.concurrent.Future<?>> driving = new ArrayList<>();
        for (int i = 1; i <= schools; i++) {
            int n = i;
            driving.add(drivers.submit(() -> {
                drive(broker, school(n));
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : driving) {
            f.get(30, TimeUnit.MINUTES);
        }
        drivers.shutdown();
        await(Duration.ofSeconds(30), "every step seen in the API",
                () -> apiRaise.size() + apiClear.size() + missed.get() >= 2L * schools * cycles);
        double seconds = (System.nanoTime() - started) / 1e9;
        double storedDuring = storedReadings(api) - storedBefore;
        poller.shutdownNow();
        background.shutdownNow();

        System.out.printf("%d schools x %d cycles in %.1f s, %d background messages (%.0f readings/s)%n",
                schools, cycles, seconds, backgroundMessages.get() - backgroundBefore,
                (backgroundMessages.get() - backgroundBefore) * 7 / seconds);
        System.out.printf("the hub stored %,.0f readings meanwhile: %,.0f readings/s from the whole district%n", storedDuring,
                storedDuring / seconds);
        print("webhook, raised ", webhookRaise);
        print("webhook, cleared", webhookClear);
        print("API, raised     ", apiRaise);
        print("API, cleared    ", apiClear);
        print("both (max)      ", both);
        long twice = deliveriesById.values().stream().filter(c -> c > 1).count();
        System.out.printf("steps missed: %d; webhook ids delivered more than once: %d of %d%n", missed.get(), twice,
                deliveriesById.size());

        for (Gateway g : gateways) {
            g.close();
        }
        receiver.stop(0);
        hub.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Gateway startGateway(Path dir, String broker, int hubPort, int n) throws Exception {
        String school = school(n);
        org.smartschool.gateway.config.GatewayConfig config = new org.smartschool.gateway.config.GatewayConfig(
                "gw-" + school, school,
                SouthSettings.defaults().withUrl(broker)
                        .withRoutes(List.of(new TopicRoute("zigbee2mqtt/" + run + "/" + school + "/{room}/{device}",
                                "zigbee2mqtt")))
                        .withClientId(run + "-" + school),
                new NorthSettings("tcp://127.0.0.1:" + hubPort, "secret-" + run + "-" + n),
                OutboxSettings.defaults().withPath(dir.resolve(school + ".db").toString()),
                UplinkSettings.defaults())
                .withRules(RulesSettings.defaults().withRoomKinds(roomKinds()));
        return Gateway.start(config, CodecRegistry.standard());
    }

    private static Map<String, String> roomKinds() {
        Map<String, String> kinds = new java.util.HashMap<>();
        for (int r = 1; r <= ROOMS; r++) {
            kinds.put(room(r), "classroom");
        }
        return kinds;
    }

    private static String room(int r) {
        return "r" + (100 + r);
    }

    /** Every room of every school: one message of 7 readings per period, spread over the period. */
    private ScheduledExecutorService startBackground(String broker) throws Exception {
        int clients = 4;
        List<MqttClient> publishers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            MqttClient client = new MqttClient(broker, run + "-bg-" + c, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMaxInflight(1_000);
            client.connect(options);
            publishers.add(client);
        }
        ScheduledExecutorService background = Executors.newScheduledThreadPool(clients);
        long spacing = PERIOD_MILLIS * 1000 / ((long) schools * ROOMS); // microseconds between two messages
        AtomicLong next = new AtomicLong();
        for (int c = 0; c < clients; c++) {
            MqttClient client = publishers.get(c);
            int first = c;
            background.scheduleAtFixedRate(() -> {
                long k = next.getAndIncrement();
                int school = (int) (k % schools) + 1;
                int room = (int) (k / schools % ROOMS) + 1;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String payload = String.format(java.util.Locale.ROOT,
                        "{\"temperature\":%.1f,\"humidity\":%.0f,\"co2\":%d,\"illuminance\":%d,\"noise\":%.1f,"
                                + "\"pm25\":%d,\"voc\":%d}",
                        24 + random.nextDouble(3), 55 + random.nextDouble(10), 500 + random.nextInt(200),
                        400 + random.nextInt(200), 40 + random.nextDouble(5), 5 + random.nextInt(5), 100 + random.nextInt(50));
                try {
                    client.publish("zigbee2mqtt/" + run + "/" + school(school) + "/" + room(room) + "/air-" + room(room),
                            payload.getBytes(StandardCharsets.UTF_8), 1, false);
                    backgroundMessages.incrementAndGet();
                } catch (Exception e) {
                    System.err.println("background publish failed: " + e);
                }
            }, first * spacing, spacing * clients, TimeUnit.MICROSECONDS);
        }
        return background;
    }

    /** The rest of the district: loadgen's gateways, 28 readings a second each in batches of 28, for 10 minutes at most. */
    private static void startLoadgen(int hubPort, List<GatewayCredential> gateways) {
        double rate = gateways.size() * ROOMS * 7 * 1000.0 / PERIOD_MILLIS;
        LoadRun.Settings settings = new LoadRun.Settings("tcp://127.0.0.1:" + hubPort, gateways, (long) (rate * 600),
                LoadRun.Settings.DEFAULT_IN_FLIGHT, rate, new SchoolBatches.Shape(ROOMS, ROOMS * 7 / 10, 7L), 0,
                Duration.ZERO, Duration.ofSeconds(30));
        Thread thread = new Thread(() -> {
            try {
                LoadResult result = LoadRun.run(settings, new java.io.PrintWriter(java.io.Writer.nullWriter()));
                System.out.println("loadgen: " + result);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                System.err.println("loadgen failed: " + e);
            }
        }, "loadgen");
        thread.setDaemon(true);
        thread.start();
    }

    /** One school's sensor: over the limit and back, {@code cycles} times, each step timed. */
    private void drive(String broker, String school) throws Exception {
        BlockingQueue<Received> raised = raisedBySchool.computeIfAbsent(school, s -> new LinkedBlockingQueue<>());
        BlockingQueue<Received> cleared = clearedBySchool.computeIfAbsent(school, s -> new LinkedBlockingQueue<>());
        MqttClient device = new MqttClient(broker, run + "-dev-" + school, new MemoryPersistence());
        device.connect();
        String topic = "zigbee2mqtt/" + run + "/" + school + "/r101/co2-bench";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            for (int c = 0; c < cycles; c++) {
                Thread.sleep(1_000 + random.nextInt(9_000)); // schools' steps at their own moments
                long raiseAt = System.nanoTime();
                device.publish(topic, "{\"co2\":1250}".getBytes(StandardCharsets.UTF_8), 1, false);
                Received up = raised.poll(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (up == null) {
                    missed.incrementAndGet();
                    continue;
                }
                record(up, raiseAt, webhookRaise, apiRaise, apiActiveSeen);
                Thread.sleep(1_000 + random.nextInt(4_000));
                long clearAt = System.nanoTime();
                device.publish(topic, "{\"co2\":600}".getBytes(StandardCharsets.UTF_8), 1, false);
                Received down = cleared.poll(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (down == null) {
                    missed.incrementAndGet();
                    continue;
                }
                record(down, clearAt, webhookClear, apiClear, apiClearedSeen);
            }
        } finally {
            device.disconnect();
            device.close();
        }
    }

    private void record(Received step, long publishedAt, List<Long> webhook, List<Long> apiList, Map<String, Long> seen)
            throws InterruptedException {
        long hook = step.atNanos() - publishedAt;
        webhook.add(hook);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        Long inApi;
        while ((inApi = seen.get(step.alarmId())) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (inApi == null) {
            missed.incrementAndGet();
            return;
        }
        long api = inApi - publishedAt;
        apiList.add(api);
        both.add(Math.max(api, hook));
    }

    private HttpServer startReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            long at = System.nanoTime();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            deliveriesById.merge(id == null ? "?" : id, 1, Integer::sum);
            JsonObject event = new JsonObject(new String(body, StandardCharsets.UTF_8));
            JsonObject data = event.getJsonObject("data");
            if (!"co2".equals(data.getString("rule"))) {
                return;
            }
            Map<String, BlockingQueue<Received>> target = switch (event.getString("type")) {
                case "alarm.raised" -> raisedBySchool;
                case "alarm.cleared" -> clearedBySchool;
                default -> null;
            };
            if (target != null) {
                target.computeIfAbsent(data.getString("school"), s -> new LinkedBlockingQueue<>())
                        .add(new Received(at, data.getString("alarmId")));
            }
        });
        server.start();
        return server;
    }

    private static void subscribe(String api, String url) throws Exception {
        byte[] secret = new byte[24];
        ThreadLocalRandom.current().nextBytes(secret);
        JsonObject body = new JsonObject().put("id", "bench").put("url", url).put("events", new JsonArray().add("alarm.*"))
                .put("secret", "whsec_" + java.util.Base64.getEncoder().encodeToString(secret));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/webhooks"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("subscribing the receiver: HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** Notes when each alarm is first seen active and first seen cleared in the API. */
    private void pollApi(String api, long since) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/alarms?limit=1000&from="
                    + Instant.ofEpochMilli(since))).GET().build(), HttpResponse.BodyHandlers.ofString());
            long at = System.nanoTime();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " " + response.body());
            }
            JsonArray alarms = new JsonObject(response.body()).getJsonArray("alarms");
            for (int i = 0; i < alarms.size(); i++) {
                JsonObject alarm = alarms.getJsonObject(i);
                String id = alarm.getString("id");
                apiActiveSeen.putIfAbsent(id, at);
                if ("cleared".equals(alarm.getString("state"))) {
                    apiClearedSeen.putIfAbsent(id, at);
                }
            }
        } catch (Exception e) {
            System.err.println("polling the API: " + e);
        }
    }

    /** {@code hub_readings_stored_total} from the hub's {@code /metrics}. */
    private static double storedReadings(String api) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("hub_readings_stored_total")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static void print(String what, List<Long> nanos) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.printf("%s: no samples%n", what);
            return;
        }
        System.out.printf("%s: %4d steps, p50 %6.0f ms, p95 %6.0f ms, p99 %6.0f ms, max %6.0f ms%n", what, sorted.size(),
                pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}

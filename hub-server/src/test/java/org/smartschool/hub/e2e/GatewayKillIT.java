package org.smartschool.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.gateway.testsupport.TestBroker;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.JarProcess;

/**
 * The kill test (issue 6, invariant 1 of DESIGN.md): the real {@code edge-gateway.jar} and
 * {@code hub-server.jar} run as their own processes against the real Mosquitto; a simulated device
 * fleet publishes Zigbee2MQTT state messages at QoS 1, steadily, each carrying its sequence number
 * (as the CO2 value, and in {@code last_seen} as the reading's time, so that the hub's store can be
 * asked for each message by value and time). The gateway (then the hub) is SIGKILLed at random
 * moments and restarted. At the end every message the broker acknowledged to the publisher must be
 * in the hub's store exactly once (a redelivered message collapses onto the same reading key), and
 * nothing the publisher did not send may be there.
 *
 * <p>Runs in {@code integration-test} (maven-failsafe-plugin), after both jars are packaged. The
 * seed of the random kill moments is printed; {@code -Dkill.seed=N} repeats a run.
 */
@Timeout(420)
class GatewayKillIT {
    private static final Path GATEWAY_JAR = Path.of("../edge-gateway/target/edge-gateway.jar");
    private static final Path HUB_JAR = Path.of("target/hub-server.jar");
    private static final String SCHOOL = "kill-school";
    private static final String SECRET = "kill-test-secret-4f1c";
    private static final int ROOMS = 4;
    private static final int DEVICES = 3;
    private static final long PUBLISH_INTERVAL_MILLIS = 20;
    /**
     * Kills in a row before the gateway has subscribed again: while it is down the broker queues its
     * messages, and Mosquitto keeps at most {@code max_queued_messages} (1000 by default, the test
     * brokers' setting) for a client that is away, dropping newer ones although it acknowledged them
     * to the publisher. The test must not measure that limit (the school broker's configuration
     * raises it to 200000), so after this many early kills the next one waits for the subscription.
     * (Seen without this bound: "Outgoing messages are being dropped for client ..." in Mosquitto's
     * log, and a block of about 100 acknowledged messages missing after 8 kills in a row before the
     * gateway had subscribed.)
     */
    private static final int MAX_EARLY_KILLS_IN_A_ROW = 1;
    private static final String API_TOKEN = "kill-test-admin-token-0123456789";
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(150);

    /** Kept when a test fails: the logs of every process start are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private final String run = "kill-" + UUID.randomUUID().toString().substring(0, 8);
    private final String gatewayId = "gw-" + run;
    /** Readings are stamped t0 + sequence number (ms): unique, stable across redeliveries, in the past. */
    private final long t0 = (Instant.now().toEpochMilli() / 1000) * 1000 - 3_600_000;
    private final long seed = Long.getLong("kill.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private String broker;
    private int httpPort;
    private int mqttPort;
    private JarProcess hub;
    private JarProcess gateway;
    private Http http;
    /** Readings the hub processes wrote, summed over the hub processes killed so far (scraped just before each kill). */
    private double writtenByKilledHubs;

    @BeforeEach
    void startHubAndGateway() throws Exception {
        broker = TestBroker.mqttUrl();
        httpPort = JarProcess.freePort();
        mqttPort = JarProcess.freePort();
        while (mqttPort == httpPort) {
            mqttPort = JarProcess.freePort();
        }
        // the readings are read with the configured admin token (registry.apiToken)
        http = new Http(httpPort, API_TOKEN);
        Path hubConfig = Files.writeString(dir.resolve("hub.yaml"), hubYaml());
        Path gatewayConfig = Files.writeString(dir.resolve("gateway.yaml"), gatewayYaml());
        // small heaps and the quick compiler: a school's Pi, and a fast restart
        List<String> jvm = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        Path hubLogback = Files.writeString(dir.resolve("hub-logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.smartschool.hub.endpoint" level="DEBUG"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> hubJvm = new ArrayList<>(jvm);
        hubJvm.add("-Dlogback.configurationFile=" + hubLogback);
        hub = new JarProcess(HUB_JAR, hubJvm, List.of("serve", "--config", hubConfig.toString()), Map.of(),
                dir.resolve("hub.log"));
        // batches and device-message groups in the log, so that a failure can be traced message by message
        Path logback = Files.writeString(dir.resolve("gateway-logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.smartschool.gateway.uplink" level="DEBUG"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        List<String> gatewayJvm = new ArrayList<>(jvm);
        gatewayJvm.add("-Dlogback.configurationFile=" + logback);
        gateway = new JarProcess(GATEWAY_JAR, gatewayJvm, List.of("run", "--config", gatewayConfig.toString()), Map.of(),
                dir.resolve("gateway.log"));
        toClose.add(hub);
        toClose.add(gateway);
        System.out.println("[kill test] run " + run + ", seed " + seed + " (-Dkill.seed=" + seed + " repeats it), logs in " + dir);
        startHub();
        gateway.start();
        awaitGatewaySubscribed();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /**
     * Verifies that every message the broker acknowledged reaches the hub's store exactly once
     * although the gateway process is SIGKILLed at 30+ random moments (before it connected, while
     * it takes device messages, while a batch is in flight) and restarted each time.
     */
    @Test
    void everyAcknowledgedMessageIsStoredOnceThroughThirtyGatewayKills() throws Exception {
        int kills = 0;
        try (Publisher publisher = new Publisher()) {
            publisher.start();
            int earlyInARow = 0;
            int subscriptionsAtStart = southSubscriptions() - 1; // the running gateway has subscribed
            for (int i = 0; i < 32; i++) {
                if (earlyInARow >= MAX_EARLY_KILLS_IN_A_ROW) {
                    int target = subscriptionsAtStart + 1;
                    await(Duration.ofSeconds(30), "gateway subscribed to the broker again",
                            () -> southSubscriptions() >= target);
                }
                Thread.sleep(300 + random.nextInt(2_700)); // from start-up to full ingest
                assertThat(gateway.isAlive()).as("gateway alive before kill %d:\n%s", i, gateway.tail(30)).isTrue();
                earlyInARow = southSubscriptions() > subscriptionsAtStart ? 0 : earlyInARow + 1;
                gateway.kill();
                kills++;
                Thread.sleep(random.nextInt(500)); // a short outage: the broker queues meanwhile
                subscriptionsAtStart = southSubscriptions();
                gateway.start();
            }
            Thread.sleep(2_000); // the last instance takes the end of the stream too
            publisher.stop();
            assertThat(publisher.acknowledged().size()).as("messages acknowledged during the kills").isGreaterThan(1_000);
            Result result = awaitAllStored(publisher);
            result.print("gateway SIGKILLed " + kills + " times");
            result.assertExactlyOnce();
        }
        assertThat(kills).isGreaterThanOrEqualTo(30);
    }

    /**
     * Verifies that every message the broker acknowledged reaches the hub's store exactly once when
     * the hub process is SIGKILLed and restarted during the run (batches in flight get no PUBACK and
     * are resent), and the gateway is killed as well while the hub is down (its outbox holds the
     * records across the restart).
     */
    @Test
    void everyAcknowledgedMessageIsStoredOnceThroughHubKills() throws Exception {
        int hubKills = 0;
        int gatewayKills = 0;
        try (Publisher publisher = new Publisher()) {
            publisher.start();
            for (int i = 0; i < 8; i++) {
                Thread.sleep(1_000 + random.nextInt(3_000));
                assertThat(hub.isAlive()).as("hub alive before kill %d:\n%s", i, hub.tail(30)).isTrue();
                double written = hubCounter("hub_readings_stored_total");
                writtenByKilledHubs += Double.isNaN(written) ? 0 : written;
                hub.kill();
                hubKills++;
                Thread.sleep(500 + random.nextInt(2_500)); // the outage: the gateway's outbox fills
                if (i % 2 == 1) {
                    gateway.kill();
                    gatewayKills++;
                    gateway.start();
                }
                startHub();
            }
            Thread.sleep(2_000);
            publisher.stop();
            assertThat(publisher.acknowledged().size()).as("messages acknowledged during the kills").isGreaterThan(1_000);
            Result result = awaitAllStored(publisher);
            result.print("hub SIGKILLed " + hubKills + " times, gateway " + gatewayKills + " times");
            result.assertExactlyOnce();
        }
    }

    // ---- processes --------------------------------------------------------------------------

    /** How many times a gateway process subscribed to the school broker so far (from their log). */
    private int southSubscriptions() {
        try {
            return (int) Files.readAllLines(gateway.log(), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("SouthSubscriber") && line.contains("subscribing to")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private void startHub() throws Exception {
        hub.start();
        await(Duration.ofSeconds(60), "hub answering /health", () -> {
            assertThat(hub.isAlive()).as("hub process exited during start-up:\n%s", hub.tail(40)).isTrue();
            try {
                return http.get("/health").status() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /**
     * QoS 1 messages are queued for the gateway only once its subscription exists: publish probe
     * messages until one comes out of the hub's API. This also proves the whole path is live.
     */
    private void awaitGatewaySubscribed() throws Exception {
        MqttClient probe = new MqttClient(broker, run + "-probe", new MemoryPersistence());
        probe.connect();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int k = 0;
            while (storedProbes() == 0) {
                assertThat(System.nanoTime()).as("a probe message reaching the hub; gateway log:\n%s",
                        gateway.tail(40)).isLessThan(deadline);
                assertThat(gateway.isAlive()).as("gateway exited:\n%s", gateway.tail(40)).isTrue();
                String payload = "{\"co2\":" + (400 + k) + ",\"last_seen\":" + (t0 - 60_000 + k) + "}";
                probe.publish(topic("probe", "probe"), payload.getBytes(StandardCharsets.UTF_8), 1, false);
                k++;
                Thread.sleep(500);
            }
        } finally {
            probe.disconnect();
            probe.close();
        }
    }

    private int storedProbes() {
        try {
            return readings("probe").size();
        } catch (Exception e) {
            return 0;
        }
    }

    private String hubYaml() {
        return """
                http:
                  host: 127.0.0.1
                  port: %d
                mqtt:
                  host: 127.0.0.1
                  port: %d
                store:
                  path: %s
                registry:
                  apiToken: %s
                gateways:
                  - id: %s
                    school: %s
                    secret: %s
                """.formatted(httpPort, mqttPort, dir.resolve("hub-store.db"), API_TOKEN, gatewayId, SCHOOL, SECRET);
    }

    private String gatewayYaml() {
        return """
                gatewayId: %s
                school: %s
                south:
                  url: %s
                  clientId: %s
                  routes:
                    - pattern: zigbee2mqtt/%s/{room}/{device}
                      codec: zigbee2mqtt
                north:
                  url: tcp://127.0.0.1:%d
                  password: %s
                outbox:
                  path: %s
                uplink:
                  batchMaxRecords: 200
                  lingerMillis: 100
                  retryMinMillis: 100
                  retryMaxMillis: 1000
                  ackTimeoutMillis: 5000
                  healthIntervalMillis: 5000
                """.formatted(gatewayId, SCHOOL, broker, run + "-gateway", run, mqttPort, SECRET,
                dir.resolve("gateway-outbox.db"));
    }

    private String topic(String room, String device) {
        return "zigbee2mqtt/" + run + "/" + room + "/" + device;
    }

    // ---- the devices ------------------------------------------------------------------------

    /**
     * Publishes message n (n = 0, 1, 2 ...) to room {@code r(n % ROOMS)}, device {@code d(n % DEVICES)}:
     * {@code {"co2": n, "last_seen": t0 + n}}, at QoS 1, one at a time (a synchronous Paho client:
     * publish returns only after the broker's PUBACK), so every acknowledged message is known.
     */
    private final class Publisher implements AutoCloseable {
        private final NavigableSet<Long> sent = new ConcurrentSkipListSet<>();
        private final NavigableSet<Long> acknowledged = new ConcurrentSkipListSet<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::publishLoop, "kill-test devices");
        private final MqttClient client;
        private volatile Exception failure;

        Publisher() throws MqttException {
            client = new MqttClient(broker, run + "-devices", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
        }

        void start() {
            thread.start();
        }

        private void publishLoop() {
            long n = 0;
            while (running.get()) {
                String payload = "{\"co2\":" + n + ",\"last_seen\":" + (t0 + n) + "}";
                sent.add(n);
                try {
                    client.publish(topic("r" + (n % ROOMS), "d" + (n % DEVICES)),
                            payload.getBytes(StandardCharsets.UTF_8), 1, false);
                    acknowledged.add(n);
                } catch (MqttException e) {
                    failure = e; // not acknowledged: may or may not arrive
                }
                n++;
                try {
                    Thread.sleep(PUBLISH_INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }

        Set<Long> sent() {
            return sent;
        }

        Set<Long> acknowledged() {
            return acknowledged;
        }

        @Override
        public void close() throws Exception {
            stop();
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    // ---- what the hub stored ----------------------------------------------------------------

    private Result awaitAllStored(Publisher publisher) throws Exception {
        Set<Long> acked = publisher.acknowledged();
        java.util.concurrent.atomic.AtomicReference<List<JsonObject>> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            await(DRAIN_DEADLINE, "every acknowledged message in the hub's store", () -> {
                try {
                    last.set(allReadings());
                } catch (Exception e) {
                    return false;
                }
                Set<Long> values = new TreeSet<>();
                last.get().forEach(r -> values.add(r.getDouble("value").longValue()));
                return values.containsAll(acked);
            });
        } catch (AssertionError e) {
            Set<Long> missing = new TreeSet<>(acked);
            if (last.get() != null) {
                last.get().forEach(r -> missing.remove(r.getDouble("value").longValue()));
            }
            throw new AssertionError(e.getMessage() + ": " + missing.size() + " missing, first "
                    + missing.stream().limit(20).toList() + "\ngateway log:\n" + gateway.tail(40)
                    + "\nhub log:\n" + hub.tail(20), e);
        }
        return new Result(publisher.sent(), acked, last.get(),
                writtenByKilledHubs + hubCounter("hub_readings_stored_total"), hubCounter("hub_batches_replayed_total"));
    }

    private List<JsonObject> allReadings() throws Exception {
        List<JsonObject> all = new ArrayList<>();
        for (int room = 0; room < ROOMS; room++) {
            all.addAll(readings("r" + room));
        }
        return all;
    }

    private List<JsonObject> readings(String room) throws Exception {
        String query = "/api/v1/readings?school=" + SCHOOL + "&room=" + room + "&quantity=co2&limit=10000"
                + "&from=" + Instant.ofEpochMilli(t0 - 120_000) + "&to=" + Instant.ofEpochMilli(t0 + 3_000_000);
        Http.Response response = http.get(query);
        if (response.status() != 200) {
            throw new IOException("GET " + query + ": " + response.status() + " " + response.body());
        }
        JsonObject body = response.json();
        assertThat(body.getBoolean("truncated")).as("readings of %s cut at the limit", room).isFalse();
        JsonArray rows = body.getJsonArray("readings");
        List<JsonObject> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(rows.getJsonObject(i));
        }
        return out;
    }

    private double hubCounter(String name) {
        try {
            return http.metric(name);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * What the run ended with. {@code hubReadingsWritten}: readings the hub wrote (a message stored
     * twice, under two batch ids, counts twice), summed over the hub processes; for a killed hub the
     * count is taken just before the kill, so with hub kills it may miss a few (a lower bound).
     */
    private final class Result {
        final Set<Long> sent;
        final Set<Long> acked;
        final List<JsonObject> rows;
        final double hubReadingsWritten;
        final double hubBatchesReplayed;

        Result(Set<Long> sent, Set<Long> acked, List<JsonObject> rows, double hubReadingsWritten, double hubBatchesReplayed) {
            this.sent = Set.copyOf(sent);
            this.acked = Set.copyOf(acked);
            this.rows = rows;
            this.hubReadingsWritten = hubReadingsWritten;
            this.hubBatchesReplayed = hubBatchesReplayed;
        }

        void print(String what) {
            // the probe readings are written too, in another room
            long written = (long) hubReadingsWritten - storedProbes();
            System.out.printf("[kill test] %s: sent %d, acknowledged by the broker %d, stored %d (distinct %d), "
                            + "duplicates collapsed %s (readings written by the hub %d, whole batches replayed %d"
                            + " by the last hub process)%n",
                    what, sent.size(), acked.size(), rows.size(), distinctValues().size(),
                    Double.isNaN(hubReadingsWritten) ? "unknown"
                            : (writtenByKilledHubs > 0 ? "at least " : "") + Math.max(0, written - rows.size()),
                    written, (long) hubBatchesReplayed);
        }

        private Set<Long> distinctValues() {
            Set<Long> values = new TreeSet<>();
            rows.forEach(r -> values.add(r.getDouble("value").longValue()));
            return values;
        }

        void assertExactlyOnce() {
            Map<Long, Integer> copies = new HashMap<>();
            for (JsonObject row : rows) {
                long n = row.getDouble("value").longValue();
                copies.merge(n, 1, Integer::sum);
                // the value and the time name the same message: nothing was mixed up or re-stamped
                assertThat(row.getLong("timestamp")).as("time of message %d", n).isEqualTo(t0 + n);
                assertThat(row.getString("device")).as("device of message %d", n).isEqualTo("d" + (n % DEVICES));
            }
            Map<Long, Integer> duplicates = new HashMap<>();
            copies.forEach((n, c) -> {
                if (c > 1) {
                    duplicates.put(n, c);
                }
            });
            assertThat(duplicates).as("messages stored more than once").isEmpty();
            assertThat(copies.keySet()).as("every acknowledged message stored").containsAll(acked);
            assertThat(sent).as("nothing stored that was not sent").containsAll(copies.keySet());
            assertThat(rows).hasSize(copies.size());
        }
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(250);
        }
    }
}

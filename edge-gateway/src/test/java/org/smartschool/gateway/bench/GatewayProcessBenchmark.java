package org.smartschool.gateway.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * On demand, not a test: the real {@code edge-gateway.jar} process, as systemd runs it on a Pi,
 * against the real Mosquitto ({@code SS_TEST_MQTT_URL}) and a real hub ({@code hub-server.jar serve}
 * with a temporary configuration that registers the gateway), fed a school's device traffic with
 * Paho: 40 rooms, each a Zigbee2MQTT air sensor with 7 quantities every 10 s, and 40 door readers
 * (card-reader codec) tapping every 10 s. Measured from outside the process, as an operator would:
 * <ol>
 * <li>start-up: process start to the "started" log line, and to the first reading stored at the hub;</li>
 * <li>steady school load: resident memory (VmRSS of /proc/PID/status, sampled every 500 ms) and CPU
 * (utime + stime of /proc/PID/stat over the window, as % of one core);</li>
 * <li>a flood: 10,000 messages/s from one device for 30 s, QoS 1 (VmRSS through and after it);</li>
 * <li>an outage: the hub stopped, a backlog of READINGS readings (7-quantity messages, as fast as the
 * broker takes them) appended through the gateway's real intake; outbox file size (database + WAL)
 * and bytes per reading (compact rows, one per device message); then the hub started again and the replay timed until the
 * hub has stored them all (its {@code hub_readings_stored_total}), VmRSS through both.</li>
 * </ol>
 * JVM options of the gateway: {@code -Dbench.gatewayJvm="..."} (default: the systemd unit's
 * {@code JAVA_MEMORY_OPTS}). The hub stores in SQLite unless {@code -Dbench.hubStore=influx} (then
 * {@code SS_TEST_INFLUX_URL}, a database of its own). {@code -Dbench.windowBatches=N} sets the
 * gateway's {@code uplink.windowBatches} (default 4); {@code -Dbench.outageOnly=true} runs only the
 * start-up and the outage with its replay. Both jars must be packaged first.
 *
 * <pre>
 * ./mvnw -q -o -pl edge-gateway,hub-server -am package -DskipTests
 * edge-gateway/bench/gateway-process-benchmark.sh [STEADY_SECONDS] [OUTAGE_READINGS]
 * </pre>
 */
public final class GatewayProcessBenchmark {
    private static final int ROOMS = 40;
    private static final String SECRET = "bench-secret-7d2a";
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private final Path dir;
    private final Path root;
    private final String run = "gwb-" + UUID.randomUUID().toString().substring(0, 8);
    private final String school = "bench-school";
    private final String broker = TestBroker.mqttUrl();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> gatewayJvm;
    private final boolean influx;
    private int hubHttpPort;
    private int hubMqttPort;
    private Process hub;
    private Process gateway;
    private long gatewayStartNanos;

    private GatewayProcessBenchmark(Path root, Path dir, List<String> gatewayJvm, boolean influx) {
        this.root = root;
        this.dir = dir;
        this.gatewayJvm = gatewayJvm;
        this.influx = influx;
    }

    public static void main(String[] args) throws Exception {
        int steadySeconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        int outageReadings = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        Path root = Path.of(System.getProperty("bench.root", "."));
        String options = System.getProperty("bench.gatewayJvm", "").isBlank() ? unitJvmOptions(root)
                : System.getProperty("bench.gatewayJvm");
        List<String> jvm = Arrays.asList(options.trim().split("\\s+"));
        boolean influx = "influx".equals(System.getProperty("bench.hubStore", "sqlite"));
        Path dir = Files.createTempDirectory("gateway-process-bench");
        GatewayProcessBenchmark bench = new GatewayProcessBenchmark(root, dir, jvm, influx);
        try {
            bench.runAll(steadySeconds, outageReadings);
        } finally {
            bench.stop(bench.gateway);
            bench.stop(bench.hub);
        }
    }

    /** The systemd unit's JAVA_MEMORY_OPTS, read from the unit so that the two cannot drift apart. */
    private static String unitJvmOptions(Path root) throws IOException {
        Path unit = root.resolve("deploy/raspberry-pi/smartschool-gateway.service");
        for (String line : Files.readAllLines(unit)) {
            if (line.startsWith("Environment=\"JAVA_MEMORY_OPTS=")) {
                return line.substring(line.indexOf('=', line.indexOf("JAVA_MEMORY_OPTS")) + 1, line.length() - 1);
            }
        }
        throw new IllegalStateException("no JAVA_MEMORY_OPTS in " + unit);
    }

    private void runAll(int steadySeconds, int outageReadings) throws Exception {
        System.out.printf("gateway process benchmark %s: gateway JVM %s, uplink.batchMaxRecords %d, uplink.windowBatches %d,"
                + " hub store %s, broker %s, files in %s%n", run, String.join(" ", gatewayJvm),
                Integer.getInteger("bench.batchMaxRecords",
                GatewayConfig.UplinkSettings.DEFAULT_BATCH_MAX_RECORDS), Integer.getInteger("bench.windowBatches", 4),
                influx ? "influx" : "sqlite", broker, dir);
        System.out.printf("machine: %d cores, %s %s, load average at start %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), loadAverage());
        hubHttpPort = freePort();
        hubMqttPort = freePort();
        startHub();
        MqttAsyncClient devices = connectDevices();
        try {
            // 1. start-up
            startGateway();
            long started = awaitLog("started for school", Duration.ofSeconds(60));
            School schoolLoad = new School(devices);
            schoolLoad.start();
            long firstStored = awaitNanos(Duration.ofSeconds(60), () -> hubCounter("hub_readings_stored_total") > 0);
            System.out.printf("start-up: 'started' line %.2f s after process start; first reading stored at the hub %.2f s after"
                    + " (includes the uplink's linger of 1 s); RSS then %.1f MB%n",
                    (started - gatewayStartNanos) / 1e9, (firstStored - gatewayStartNanos) / 1e9, rssMb());

            if (Boolean.getBoolean("bench.outageOnly")) {
                // only the outage and the replay (comparing uplink settings): no steady load, no flood
                schoolLoad.stop();
                outage(devices, outageReadings);
                return;
            }
            // 2. steady load: 20 s to settle, then the window
            Thread.sleep(20_000);
            double[] cpu = new double[3];
            double[] rss = new double[3];
            for (int round = 0; round < 3; round++) {
                Window steady = Window.open(gateway.pid());
                sample(gateway.pid(), steadySeconds * 1000L / 3, steady);
                steady.close("steady school load, round " + (round + 1) + " (" + schoolLoad.sent.get() + " messages sent so far)");
                cpu[round] = steady.cpu;
                rss[round] = steady.max;
            }
            Arrays.sort(cpu);
            Arrays.sort(rss);
            System.out.printf(Locale.ROOT, "steady school load, median of 3 rounds: RSS max %.1f MB (goal <= 96), CPU %.2f %% of one core"
                    + " (goal <= 2; rounds %.2f-%.2f)%n", rss[1], cpu[1], cpu[0], cpu[2]);

            // 3. flood from one device, the school going on
            Window flood = Window.open(gateway.pid());
            Thread floodThread = new Thread(() -> flood(devices, 10_000, 30), "flood");
            floodThread.start();
            sampleWhile(gateway.pid(), floodThread::isAlive, flood);
            flood.close("flood 10,000 msg/s from one device for 30 s (school load too)");
            Window after = Window.open(gateway.pid());
            sample(gateway.pid(), 20_000, after);
            after.close("20 s after the flood");
            schoolLoad.stop();

            // 4. a day-long outage, compressed: the hub away, a backlog appended, then replayed
            outage(devices, outageReadings);
        } finally {
            devices.disconnect().waitForCompletion(5_000);
            devices.close();
        }
    }

    private void outage(MqttAsyncClient devices, int readings) throws Exception {
        Path outbox = dir.resolve("gateway-outbox.db");
        long before = outboxRecords(outbox);
        awaitNanos(Duration.ofSeconds(120), () -> outboxRecords(outbox) == 0);
        double storedBefore = hubCounter("hub_readings_stored_total");
        stop(hub);
        System.out.printf("outage: hub stopped (%,.0f readings stored so far; outbox held %d), load average %s%n",
                storedBefore, before, loadAverage());
        Window filling = Window.open(gateway.pid());
        int messages = (readings + 6) / 7;
        long t0 = System.currentTimeMillis() - 3_600_000; // the outage's readings carry their own time, in the past
        long started = System.nanoTime();
        Thread publisher = new Thread(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    // as a broker replays a backlog: no more ahead of the gateway than Mosquitto queues
                    // for it (max_queued_messages, 1000 by default), or the broker drops the excess
                    while (i % 50 == 0 && i - outboxRecords(outbox) / 7 > 600) {
                        Thread.sleep(2);
                    }
                    String room = "r" + (100 + i % ROOMS);
                    publishPaced(devices, "zigbee2mqtt/" + run + "/" + room + "/air-1", air(i, t0 + i), 1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "backlog");
        publisher.start();
        Stall stall = new Stall();
        sampleWhile(gateway.pid(), () -> publisher.isAlive()
                || outboxRecords(outbox) < (long) messages * 7 && !stall.stuck(outboxRecords(outbox)), filling);
        double appendSeconds = (System.nanoTime() - started) / 1e9;
        long records = outboxRecords(outbox);
        filling.close(String.format("outage: %,d readings appended to the outbox in %.1f s (%,.0f readings/s through"
                + " Mosquitto and the intake)", records, appendSeconds, records / appendSeconds));
        long db = Files.size(outbox);
        Path wal = Path.of(outbox + "-wal");
        long walBytes = Files.exists(wal) ? Files.size(wal) : 0;
        double[] row = rowStats(outbox);
        System.out.printf("outbox: %,d records, file %,d bytes + WAL %,d bytes = %.1f bytes per reading; row bodies %.1f bytes"
                + " per reading (%.1f readings a row, %,.0f rows; kind, records, appended_at, seq and SQLite's row and page"
                + " overhead the rest); 2.4 M readings -> %.0f MB (goal <= 100 MB)%n", records, db, walBytes,
                (db + walBytes) / (double) records, row[0], row[1], row[2], 2_400_000 * (db + walBytes) / (double) records / 1e6);
        System.out.println("a sample row: " + sampleRow(outbox));

        Window replay = Window.open(gateway.pid());
        long hubStart = System.nanoTime();
        startHub();
        double storedAtStart = hubCounter("hub_readings_stored_total");
        long hubReady = System.nanoTime();
        // the gateway comes back after its reconnect backoff (full jitter, up to uplink.retryMaxMillis): a
        // random wait that is the point of the backoff, not the replay's speed, so it is reported apart
        double storedAtFirstBatch = storedAtStart;
        while (storedAtFirstBatch == storedAtStart && System.nanoTime() - hubReady < 120_000_000_000L) {
            Thread.sleep(20);
            storedAtFirstBatch = hubCounter("hub_readings_stored_total");
        }
        long firstBatch = System.nanoTime();
        sampleWhile(gateway.pid(), () -> outboxRecords(outbox) > 0, replay);
        long end = System.nanoTime();
        double stored = hubCounter("hub_readings_stored_total") - storedAtStart;
        double afterFirst = stored - (storedAtFirstBatch - storedAtStart);
        replay.close(String.format("replay: %,.0f readings stored by the hub; the gateway's first batch %.1f s after the"
                + " hub answered /health (%.1f s after its process start; the reconnect backoff), then the other %,.0f in"
                + " %.1f s = %,.0f readings/s (goal >= 50,000); from /health to the last: %.1f s = %,.0f readings/s",
                stored, (firstBatch - hubReady) / 1e9, (hubReady - hubStart) / 1e9, afterFirst, (end - firstBatch) / 1e9,
                afterFirst / ((end - firstBatch) / 1e9), (end - hubReady) / 1e9, stored / ((end - hubReady) / 1e9)));
    }

    /** True once a count has not changed for 15 s (messages the broker dropped never arrive). */
    private static final class Stall {
        private long last = -2;
        private long since = System.nanoTime();

        boolean stuck(long count) {
            if (count != last) {
                last = count;
                since = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since > TimeUnit.SECONDS.toNanos(15);
        }
    }

    // --- the school's devices -----------------------------------------------------------------

    /** 40 air sensors (7 quantities) and 40 door readers, each once every 10 s, spread evenly. */
    private final class School {
        private final MqttAsyncClient client;
        private final AtomicLong sent = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        School(MqttAsyncClient client) {
            this.client = client;
        }

        void start() {
            thread = new Thread(() -> {
                long next = System.nanoTime();
                long step = TimeUnit.MILLISECONDS.toNanos(10_000 / (2 * ROOMS)); // 80 messages per 10 s
                for (long i = 0; running; i++) {
                    int room = (int) (i / 2 % ROOMS);
                    try {
                        if (i % 2 == 0) {
                            client.publish("zigbee2mqtt/" + run + "/r" + (100 + room) + "/air-1",
                                    air(i, System.currentTimeMillis()), 1, false);
                        } else {
                            client.publish("doors/" + run + "/r" + (100 + room) + "/reader-1/tag",
                                    card(i), 1, false);
                        }
                        sent.incrementAndGet();
                    } catch (MqttException e) {
                        System.out.println("school publish failed: " + e);
                    }
                    next += step;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "school");
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static byte[] air(long i, long at) {
        return ("{\"temperature\":" + (20 + i % 100 / 10.0) + ",\"humidity\":" + (40 + i % 50) + ",\"co2\":" + (400 + i % 1600)
                + ",\"pm25\":" + (i % 80) + ",\"noise\":" + (30 + i % 40) + ",\"illuminance\":" + (i % 900)
                + ",\"voc\":" + (i % 500) + ",\"last_seen\":" + at + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] card(long i) {
        long uid = 0x04A35B1C228000L + i % 900; // 7 bytes, as an NTAG or DESFire card
        String hex = String.format("%014X", uid);
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < hex.length(); k += 2) {
            out.append(k > 0 ? "-" : "").append(hex, k, k + 2);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One device publishing {@code perSecond} QoS 1 messages for {@code seconds}, paced per millisecond. */
    private void flood(MqttAsyncClient client, int perSecond, int seconds) {
        String topic = "zigbee2mqtt/" + run + "/r100/flood-1";
        long start = System.nanoTime();
        long total = (long) perSecond * seconds;
        long sent = 0;
        try {
            while (sent < total) {
                long due = Math.min(total, (System.nanoTime() - start) * perSecond / 1_000_000_000L + 1);
                while (sent < due) {
                    publishPaced(client, topic, ("{\"co2\":" + (400 + sent % 1600) + "}").getBytes(StandardCharsets.UTF_8), 1);
                    sent++;
                }
                Thread.sleep(1);
            }
        } catch (Exception e) {
            System.out.println("flood stopped: " + e);
        }
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf("flood: %,d messages in %.1f s = %,.0f msg/s offered%n", sent, took, sent / took);
    }

    /** Publishes, waiting while Paho's in-flight window is full. */
    private static void publishPaced(MqttAsyncClient client, String topic, byte[] payload, int qos) throws Exception {
        while (true) {
            try {
                client.publish(topic, payload, qos, false);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    private MqttAsyncClient connectDevices() throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(broker, run + "-devices", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(2_000);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    // --- the processes ------------------------------------------------------------------------

    private void startHub() throws Exception {
        String store = influx ? """
                  kind: influx
                  influx:
                    url: %s
                    database: %s
                """.formatted(System.getenv("SS_TEST_INFLUX_URL"), run.replace('-', '_')) : "";
        Path config = Files.writeString(dir.resolve("hub.yaml"), """
                http:
                  host: 127.0.0.1
                  port: %d
                mqtt:
                  host: 127.0.0.1
                  port: %d
                store:
                  path: %s
                %sgateways:
                  - id: %s
                    school: %s
                    secret: %s
                """.formatted(hubHttpPort, hubMqttPort, dir.resolve("hub-store.db"), store, run, school, SECRET));
        hub = start(root.resolve("hub-server/target/hub-server.jar"), List.of("-Xmx256m"),
                List.of("serve", "--config", config.toString()), dir.resolve("hub.log"));
        awaitNanos(Duration.ofSeconds(90), () -> {
            if (!hub.isAlive()) {
                throw new IllegalStateException("hub exited: see " + dir.resolve("hub.log"));
            }
            try {
                return get("/health").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void startGateway() throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), """
                gatewayId: %s
                school: %s
                south:
                  url: %s
                  clientId: %s
                  deviceMaxMessagesPerSecond: %d
                  routes:
                    - pattern: zigbee2mqtt/%s/{room}/{device}
                      codec: zigbee2mqtt
                    - pattern: doors/%s/{room}/{device}/tag
                      codec: card-reader
                north:
                  url: tcp://127.0.0.1:%d
                  password: %s
                outbox:
                  path: %s
                  maxRecords: 5000000
                uplink:
                  batchMaxRecords: %d
                  windowBatches: %d
                """.formatted(run, school, broker, run + "-gateway",
                // off unless asked for: the outage replays a backlog and the flood phase measures the
                // outbox absorbing one, both far faster than one device may send in real use
                Integer.getInteger("bench.deviceMaxMessagesPerSecond", 0), run, run, hubMqttPort, SECRET,
                dir.resolve("gateway-outbox.db"), Integer.getInteger("bench.batchMaxRecords",
                GatewayConfig.UplinkSettings.DEFAULT_BATCH_MAX_RECORDS),
                Integer.getInteger("bench.windowBatches", 4)));
        gatewayStartNanos = System.nanoTime();
        gateway = start(root.resolve("edge-gateway/target/edge-gateway.jar"), gatewayJvm,
                List.of("run", "--config", config.toString()), dir.resolve("gateway.log"));
    }

    private static Process start(Path jar, List<String> jvm, List<String> args, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: ./mvnw -q -o -pl edge-gateway,hub-server -am package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private long awaitLog(String text, Duration deadline) throws Exception {
        Path log = dir.resolve("gateway.log");
        return awaitNanos(deadline, () -> {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("gateway exited: see " + log);
            }
            try {
                return Files.readString(log).contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Polls every 10 ms; the moment the condition first held, as System.nanoTime(). */
    private static long awaitNanos(Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return System.nanoTime();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("not within " + deadline);
    }

    // --- measuring ----------------------------------------------------------------------------

    /** RSS samples and CPU ticks of one process over a window. */
    private static final class Window {
        private final long pid;
        private final long startTicks;
        private final long startNanos = System.nanoTime();
        private final List<Double> rss = new ArrayList<>();
        private double cpu;
        private double max;

        private Window(long pid) {
            this.pid = pid;
            this.startTicks = cpuTicks(pid);
        }

        static Window open(long pid) {
            return new Window(pid);
        }

        void close(String what) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            cpu = (cpuTicks(pid) - startTicks) / (double) CLOCK_TICKS / seconds * 100;
            double[] sorted = rss.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            max = sorted[sorted.length - 1];
            System.out.printf(Locale.ROOT, "%s: RSS max %.1f MB, median %.1f MB, last %.1f MB (%d samples); CPU %.2f %% of one core"
                    + " over %.0f s; load average %s%n", what, sorted[sorted.length - 1], sorted[sorted.length / 2],
                    rss.get(rss.size() - 1), sorted.length, cpu, seconds, loadAverage());
        }
    }

    private static void sample(long pid, long millis, Window window) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        sampleWhile(pid, () -> System.nanoTime() < end, window);
    }

    private static void sampleWhile(long pid, BooleanSupplier going, Window window) throws InterruptedException {
        do {
            window.rss.add(rssMb(pid));
            Thread.sleep(500);
        } while (going.getAsBoolean());
        window.rss.add(rssMb(pid));
    }

    private double rssMb() {
        return rssMb(gateway.pid());
    }

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " gone", e);
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** utime + stime of /proc/PID/stat (fields 14 and 15; the command name may hold spaces). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " gone", e);
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hubHttpPort + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A counter of the hub's /metrics (summed over its labels); 0 when the hub does not answer. */
    private double hubCounter(String name) {
        try {
            double sum = 0;
            for (String line : get("/metrics").body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long outboxRecords(Path outbox) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + outbox + "?mode=ro");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(sum(records), 0) FROM records")) {
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    /** Bytes of the rows' bodies per reading, readings per row, rows. */
    private static double[] rowStats(Path outbox) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + outbox + "?mode=ro");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT sum(octet_length(body)) * 1.0 / sum(records), avg(records), count(*) FROM records")) {
            return new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)};
        }
    }

    private static String sampleRow(Path outbox) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + outbox + "?mode=ro");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT kind, records, hex(body) FROM records LIMIT 1")) {
            return rs.next() ? "kind " + rs.getString(1) + ", " + rs.getInt(2) + " records, body " + rs.getString(3) : "(none)";
        }
    }

    private static int freePort() throws IOException {
        for (int i = 0; i < 200; i++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

}

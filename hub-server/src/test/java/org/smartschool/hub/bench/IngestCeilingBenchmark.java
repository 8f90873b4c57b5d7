package org.smartschool.hub.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
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
import org.smartschool.hub.loadgen.PreparedBatch;
import org.smartschool.hub.loadgen.SchoolBatches;
import org.smartschool.hub.store.RoomKinds;
import org.smartschool.hub.store.influx.InfluxPoints;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.TemporaryFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ingest benchmark of issue 7, in one go on one machine (README, "Performance"):
 * <ol>
 * <li>InfluxDB's raw ceiling: the points the hub writes for loadgen's batches, rendered by the InfluxDB store's
 *     own {@link InfluxPoints#lineProtocol}, sent straight to {@code /write} (retention policy {@code raw}, as the
 *     store writes) as line protocol in large bodies by a few concurrent writers;</li>
 * <li>the hub fed by loadgen ({@link LoadRun}: N simulated gateways over MQTT 5, as fast as it acknowledges),
 *     on the store its configuration names ({@code --hub-config}); without one, on the same InfluxDB in a
 *     throw-away database when there is one ({@code --hub-store influx}), else on the embedded SQLite store;</li>
 * <li>both in readings/s and their ratio, then PUBACK latency at half the hub's maximum rate ({@code --rate}).</li>
 * </ol>
 * Each round of each part writes the same points (the same simulated schools and instants), new points
 * for every round; a warm-up round of a fifth of the size comes first and is not reported.
 *
 * <p>Run (no {@code install}: the shaded jar holds everything but this class):
 * {@code hub-server/bench/ingest-benchmark.sh [options]}, or after {@code ./mvnw -q -pl hub-server -am -DskipTests package}:
 * {@code java -cp hub-server/target/test-classes:hub-server/target/hub-server.jar org.smartschool.hub.bench.IngestCeilingBenchmark --help}
 */
@Command(name = "ingest-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "InfluxDB's raw write ceiling vs. the hub fed by loadgen, in readings/s, and their ratio.")
public final class IngestCeilingBenchmark implements Callable<Integer> {

    @Option(names = "--influx", paramLabel = "URL", defaultValue = "${env:SS_TEST_INFLUX_URL}",
            description = "InfluxDB 1.x for the raw ceiling (a throw-away database is created and dropped)."
                    + " Default: $SS_TEST_INFLUX_URL; without one the raw part is skipped.")
    String influx;

    @Option(names = "--hub-config", paramLabel = "FILE",
            description = "hub.yaml whose store the hub uses (ports, gateways are overridden). Default: --hub-store.")
    Path hubConfig;

    @Option(names = "--hub-store", paramLabel = "KIND",
            description = "Without --hub-config: influx (a throw-away database in --influx, dropped at the end) or sqlite"
                    + " (a temporary file). Default: influx when there is an InfluxDB, else sqlite.")
    String hubStore;

    @Option(names = "--gateways", defaultValue = "10", description = "Simulated gateways (schools). Default: ${DEFAULT-VALUE}.")
    int gateways;

    @Option(names = "--readings", defaultValue = "1000000", description = "Readings per round. Default: ${DEFAULT-VALUE}.")
    long readings;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured rounds of each part; the median is reported. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--writers", defaultValue = "4", description = "Concurrent /write requests for the raw ceiling. Default: ${DEFAULT-VALUE}.")
    int writers;

    @Option(names = "--lines-per-write", defaultValue = "5000", description = "Points per /write. Default: ${DEFAULT-VALUE}.")
    int linesPerWrite;

    @Option(names = "--raw-order", defaultValue = "gateway", paramLabel = "ORDER",
            description = "Order of the raw ceiling's points: gateway (each gateway's batches in a row: a body holds one"
                    + " school's consecutive batches) or arrival (every gateway's first batch, then every second, ... as they"
                    + " reach the hub: a body holds every school's, as the hub's requests do). Default: ${DEFAULT-VALUE}.")
    String rawOrder;

    @Option(names = "--jit-quiet-ms", defaultValue = "500",
            description = "Before each timed round, wait until the JIT has finished no compilation for this long (at most 15 s):"
                    + " preparing a round's batches leaves seconds of compiling that ran in the timed phase (0: start at once,"
                    + " as before 2026-12-04). Default: ${DEFAULT-VALUE}.")
    long jitQuietMillis;

    @Option(names = "--in-flight", defaultValue = "" + LoadRun.Settings.DEFAULT_IN_FLIGHT,
            description = "loadgen's batches in flight per gateway. Default: ${DEFAULT-VALUE}.")
    int inFlight;

    @Option(names = "--rooms", defaultValue = "" + SchoolBatches.Shape.DEFAULT_ROOMS, description = "Rooms per school. Default: ${DEFAULT-VALUE}.")
    int rooms;

    @Option(names = "--batch-records", defaultValue = "" + SchoolBatches.Shape.DEFAULT_BATCH_RECORDS,
            description = "Records per batch. Default: ${DEFAULT-VALUE}.")
    int batchRecords;

    @Option(names = "--store-threads", defaultValue = "0",
            description = "The hub's mqtt.storeThreads (0: its configuration's). Default: ${DEFAULT-VALUE}.")
    int storeThreads;

    @Option(names = "--paced-seconds", defaultValue = "20",
            description = "Length of the run at half the hub's maximum rate, for PUBACK latency (0: skip). Default: ${DEFAULT-VALUE}.")
    int pacedSeconds;

    @Option(names = "--paced-rate", defaultValue = "0",
            description = "Readings/s of the paced run instead of half the measured maximum (with --rounds 0: the paced"
                    + " run and its floor only). Default: ${DEFAULT-VALUE}.")
    double pacedRate;

    @Option(names = "--floor-concurrency", defaultValue = "0",
            description = "Concurrent /write requests of the floor run after the paced one (0: as many as the hub had"
                    + " under way at most, its group commit's limit). Default: ${DEFAULT-VALUE}.")
    int floorConcurrency;

    @Option(names = "--floor-shapes", split = ",", paramLabel = "POINTSxREQUESTS", converter = ShapeConverter.class,
            description = "Further floor runs at the same rate after the first, each with requests of POINTS points, REQUESTS"
                    + " at once (e.g. 250x6,100x12): what InfluxDB alone gives with other request sizes. Default: none.")
    List<int[]> floorShapes = new ArrayList<>();

    /** {@code 250x6} -> {250, 6}. */
    static final class ShapeConverter implements CommandLine.ITypeConverter<int[]> {
        @Override
        public int[] convert(String value) {
            String[] parts = value.split("x");
            try {
                int[] shape = parts.length == 2
                        ? new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())} : new int[2];
                if (shape[0] >= 1 && shape[1] >= 1) {
                    return shape;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new CommandLine.TypeConversionException("POINTSxREQUESTS, both at least 1: " + value);
        }
    }

    private final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    /** The default store's directory, removed at the end. */
    private Path temporary;
    /** The hub's throw-away InfluxDB database, dropped at the end. */
    private InfluxRawWriter hubDatabase;
    /** The hub's stage timers at the start and end of the last {@link #load} (null where /metrics did not answer). */
    private final StageTimes[] lastStages = new StageTimes[2];
    /** The hub's InfluxDB requests in the run at half the maximum rate. */
    private StageTimes.Requests hubRequests;

    public static void main(String[] args) {
        System.exit(new CommandLine(new IngestCeilingBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!rawOrder.equals("gateway") && !rawOrder.equals("arrival")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--raw-order must be gateway or arrival: " + rawOrder);
        }
        if (rounds < (pacedRate > 0 ? 0 : 1) || gateways < 1 || readings < gateways || writers < 1 || linesPerWrite < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--rounds (0 only with --paced-rate), --gateways, --writers and --lines-per-write must be at least 1,"
                            + " --readings at least --gateways");
        }
        if (influx != null && !influx.isBlank()) {
            int port = java.net.URI.create(influx).getPort();
            CpuSplit.influxdListeningOn(port > 0 ? port : 8086);
        }
        SchoolBatches.Shape shape = new SchoolBatches.Shape(rooms, batchRecords, 1);
        List<GatewayCredential> players = GatewayCredential.generated(gateways, UUID.randomUUID().toString(), "bench-school");
        long perGateway = (readings + gateways - 1) / gateways;
        long roundSpan = (long) (perGateway / (SchoolBatches.READINGS_PER_ROOM_SECOND * rooms) * 1000) + 3_600_000;
        // every round (warm-up, measured, paced) gets its own window of simulated time, all in the past
        long base = System.currentTimeMillis() - (rounds + 3L) * roundSpan - 86_400_000L;
        long warmUp = Math.max(gateways, readings / 5);

        double[] raw = influx == null || influx.isBlank() || rounds == 0 ? null : rawCeiling(players, shape, base, roundSpan, warmUp);

        HubConfig config = hubConfig(players);
        Vertx vertx = Vertx.vertx();
        Hub hub = await(Hub.start(vertx, config));
        double[] hubRates = new double[rounds];
        double hubP99 = 0;
        LoadResult paced = null;
        PacedWriteFloor.Result floor = null;
        try {
            String url = "tcp://127.0.0.1:" + hub.mqttPort();
            out.printf(Locale.ROOT, "%n== hub fed by loadgen: %s, store %s ==%n", url, config.store().describe());
            load(hub, url, players, warmUp, 0, shape, base, "warm-up");
            double[] p99s = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                LoadResult result = load(hub, url, players, readings, 0, shape, base + (r + 1) * roundSpan, "round " + (r + 1));
                hubRates[r] = result.readingsPerSecond();
                p99s[r] = result.latency().p99();
            }
            hubP99 = rounds == 0 ? 0 : median(p99s);
            if (pacedSeconds > 0) {
                double rate = pacedRate > 0 ? pacedRate : median(hubRates) / 2;
                // the paced run and the floor's each a window of simulated time of their own, before the rounds'
                long pacedSpan = (long) (rate * pacedSeconds / gateways / (SchoolBatches.READINGS_PER_ROOM_SECOND * rooms) * 1000)
                        + 3_600_000;
                paced = load(hub, url, players, (long) (rate * pacedSeconds), rate, shape, base - pacedSpan,
                        "half the maximum rate");
                StageTimes.Requests requests = lastStages[0] == null || lastStages[1] == null ? null
                        : lastStages[1].requests(lastStages[0]);
                if (requests != null) {
                    out.printf(Locale.ROOT, "  %s%n", requests.line());
                    hubRequests = requests;
                    if (influx != null && !influx.isBlank()) {
                        int concurrency = floorConcurrency > 0 ? floorConcurrency : InfluxTimeSeriesStore.GROUP_REQUESTS;
                        floor = floor(players, shape, base - 2 * pacedSpan, paced.readingsPerSecond(),
                                (int) Math.round(requests.meanPoints()), concurrency);
                        for (int v = 0; v < floorShapes.size(); v++) {
                            int[] other = floorShapes.get(v);
                            floor(players, shape, base - (3 + v) * pacedSpan, paced.readingsPerSecond(), other[0], other[1]);
                        }
                    }
                }
            }
        } finally {
            await(hub.close());
            await(vertx.close());
            if (hubDatabase != null) {
                hubDatabase.dropDatabase();
            }
            deleteTemporary();
        }
        report(raw, hubRates, hubP99, paced, floor, config);
        return 0;
    }

    // ---- the raw ceiling ----

    private double[] rawCeiling(List<GatewayCredential> players, SchoolBatches.Shape shape, long base, long roundSpan,
                                long warmUp) throws Exception {
        String database = "ss_bench_raw_" + System.currentTimeMillis();
        InfluxRawWriter writer = new InfluxRawWriter(influx, database);
        out.printf(Locale.ROOT, "== InfluxDB raw ceiling: %s database %s, %d writers, %,d points per /write, %s order ==%n",
                influx, database, writers, linesPerWrite, rawOrder);
        writer.createDatabase();
        double[] rates = new double[rounds];
        try {
            rawRound(writer, players, warmUp, shape, base, "warm-up");
            for (int r = 0; r < rounds; r++) {
                rates[r] = rawRound(writer, players, readings, shape, base + (r + 1) * roundSpan, "round " + (r + 1));
            }
        } finally {
            writer.dropDatabase();
        }
        return rates;
    }

    /** The points of the round's batches, rendered before the clock starts, then written; readings per second. */
    private double rawRound(InfluxRawWriter writer, List<GatewayCredential> players, long total,
                            SchoolBatches.Shape shape, long start, String name) throws Exception {
        Rendered rendered = render(players, total, shape, start, linesPerWrite, false, rawOrder.equals("arrival"));
        awaitJit();
        CpuSplit before = CpuSplit.now();
        double seconds = writer.writeAll(rendered.bodies(), writers);
        String cpu = CpuSplit.now().since(before, rendered.readings());
        double rate = rendered.readings() / seconds;
        out.printf(Locale.ROOT, "raw %s: %,d readings in %,d points, %d writes, %.2f s: %,.0f readings/s (%,.0f points/s)%n  %s%n",
                name, rendered.readings(), rendered.points(), rendered.bodies().size(), seconds, rate,
                rendered.points() / seconds, cpu);
        return rate;
    }

    /**
     * InfluxDB's own write latency at the paced run's rate, without the hub: the same kind of points (a new window
     * of loadgen's batches), in bodies of the hub's mean request size, one due every so often so that readings go
     * at {@code rate}, as many at once as the hub's group commit allows ({@link PacedWriteFloor}).
     */
    private PacedWriteFloor.Result floor(List<GatewayCredential> players, SchoolBatches.Shape shape, long start, double rate,
                                         int pointsPerRequest, int concurrency) throws Exception {
        // into the hub's own database where it has one (its shards and cache as full as the hub left them: a fresh
        // database writes faster), new points after the hub's; else a throw-away one
        boolean own = hubDatabase == null;
        InfluxRawWriter writer = own ? new InfluxRawWriter(influx, "ss_bench_floor_" + System.currentTimeMillis()) : hubDatabase;
        out.printf(Locale.ROOT, "%n-- InfluxDB alone at the same rate: %,.0f readings/s in /write requests of %,d points, %d at once,"
                + " database %s --%n", rate, pointsPerRequest, concurrency, writer.database());
        if (own) {
            writer.createDatabase();
        }
        try {
            Rendered rendered = render(players, (long) (rate * pacedSeconds), shape, start, Math.max(1, pointsPerRequest), true,
                    true);
            long intervalNanos = (long) (pacedSeconds * 1e9 / rendered.bodies().size());
            CpuSplit before = CpuSplit.now();
            PacedWriteFloor.Result result = PacedWriteFloor.run(writer, rendered.bodies(), rendered.pointsPerBody(),
                    intervalNanos, concurrency);
            String cpu = CpuSplit.now().since(before, rendered.readings());
            out.printf(Locale.ROOT, "%,d readings: %s%n  %s%n", rendered.readings(), result.line(), cpu);
            return result;
        } finally {
            if (own) {
                writer.dropDatabase();
            }
        }
    }

    /** Line protocol bodies, with the points in each; {@code readings} and {@code points} in all. */
    private record Rendered(List<byte[]> bodies, int[] pointsPerBody, long readings, long points) {
    }

    /**
     * The round's batches rendered as the store renders them, in bodies of {@code linesPerBody} points: at least that
     * many, whole batches ({@code exact} false: the raw ceiling), or exactly that many, the last one fewer
     * ({@code exact} true: the floor, sized as the hub's requests); gateway by gateway, or {@code interleaved} as the
     * batches reach the hub.
     */
    private static Rendered render(List<GatewayCredential> players, long total, SchoolBatches.Shape shape, long start,
                                   int linesPerBody, boolean exact, boolean interleaved) throws Exception {
        List<List<PreparedBatch>> batches = prepare(players, total, shape, start);
        if (interleaved) {
            // as they reach the hub: every gateway's first batch, then every gateway's second, ...
            batches = List.of(interleaved(batches));
        }
        BatchCodec codec = new BatchCodec();
        // the store's own rendering: the very lines it sends to /write (no room kinds: loadgen's schools are in no registry)
        InfluxPoints rendering = new InfluxPoints(RoomKinds.NONE);
        List<byte[]> bodies = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        int inBody = 0;
        long points = 0;
        long readingCount = 0;
        for (List<PreparedBatch> gateway : batches) {
            for (PreparedBatch prepared : gateway) {
                // decoded from the frame, as the hub does: the very readings and events it stores
                Batch batch = codec.decode(prepared.frame());
                String lines = rendering.lineProtocol(batch);
                readingCount += batch.readings().size();
                if (!exact) {
                    body.append(lines);
                    int n = lineCount(lines);
                    inBody += n;
                    points += n;
                    if (inBody >= linesPerBody) {
                        bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                        counts.add(inBody);
                        body.setLength(0);
                        inBody = 0;
                    }
                    continue;
                }
                int from = 0;
                while (from < lines.length()) {
                    int end = lines.indexOf('\n', from) + 1;
                    body.append(lines, from, end);
                    from = end;
                    inBody++;
                    points++;
                    if (inBody == linesPerBody) {
                        bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                        counts.add(inBody);
                        body.setLength(0);
                        inBody = 0;
                    }
                }
            }
        }
        if (inBody > 0) {
            bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
            counts.add(inBody);
        }
        return new Rendered(bodies, counts.stream().mapToInt(Integer::intValue).toArray(), readingCount, points);
    }

    private static List<PreparedBatch> interleaved(List<List<PreparedBatch>> perGateway) {
        List<PreparedBatch> out = new ArrayList<>();
        int longest = perGateway.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<PreparedBatch> gateway : perGateway) {
                if (i < gateway.size()) {
                    out.add(gateway.get(i));
                }
            }
        }
        return out;
    }

    private static int lineCount(String lines) {
        int n = 0;
        for (int i = 0; i < lines.length(); i++) {
            if (lines.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static List<List<PreparedBatch>> prepare(List<GatewayCredential> players, long total, SchoolBatches.Shape shape,
                                                     long start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<List<PreparedBatch>>> futures = new ArrayList<>();
            for (int i = 0; i < players.size(); i++) {
                long quota = total / players.size() + (i < total % players.size() ? 1 : 0);
                GatewayCredential gateway = players.get(i);
                futures.add(pool.submit(() -> SchoolBatches.prepare(gateway, quota, shape, start)));
            }
            List<List<PreparedBatch>> out = new ArrayList<>();
            for (Future<List<PreparedBatch>> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- the hub ----

    private HubConfig hubConfig(List<GatewayCredential> players) throws Exception {
        HubConfig base;
        if (hubConfig == null) {
            temporary = Files.createTempDirectory("hub-ingest-bench");
            StoreConfig store = new StoreConfig(temporary.resolve("hub-store.db").toString());
            boolean haveInflux = influx != null && !influx.isBlank();
            String kind = hubStore == null ? (haveInflux ? StoreConfig.INFLUX : StoreConfig.SQLITE) : hubStore;
            if (kind.equals(StoreConfig.INFLUX)) {
                if (!haveInflux) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--hub-store influx needs --influx or SS_TEST_INFLUX_URL");
                }
                String database = "ss_bench_hub_" + System.currentTimeMillis();
                hubDatabase = new InfluxRawWriter(influx, database);
                store = store.withInflux(InfluxConfig.DEFAULT.withUrl(influx).withDatabase(database));
            } else if (!kind.equals(StoreConfig.SQLITE)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--hub-store must be influx or sqlite: " + kind);
            }
            base = HubConfig.defaults().withStore(store);
        } else {
            base = HubConfig.load(hubConfig, System.getenv());
        }
        List<GatewayConfig> allowed = players.stream()
                .map(g -> new GatewayConfig(g.id(), g.school(), g.secret())).toList();
        MqttConfig mqtt = new MqttConfig("127.0.0.1", 0, base.mqtt().maxMessageBytes());
        if (storeThreads > 0) {
            mqtt = mqtt.withThreads(mqtt.decodeThreads(), storeThreads);
        }
        return base.withHttp(new HttpConfig("127.0.0.1", 0))
                .withMqtt(mqtt)
                .withGateways(allowed);
    }

    /** One loadgen run; the same settings and start give the same points as the raw round. */
    private LoadResult load(Hub hub, String url, List<GatewayCredential> players, long total, double rate,
                            SchoolBatches.Shape shape, long start, String name) throws InterruptedException {
        out.printf(Locale.ROOT, "-- hub %s --%n", name);
        // the CPU of the timed phase only: from loadgen's "sending" line (after preparing) to the last PUBACK
        CpuSplit[] sending = new CpuSplit[2];
        long[][] writes = new long[2][];
        StageTimes[] stages = new StageTimes[2];
        PrintWriter watch = new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] chars, int off, int len) {
                String text = new String(chars, off, len);
                if (sending[0] == null && text.startsWith("sending")) {
                    // loadgen's senders start when this returns: the JIT's work on the preparation stays out of the clock
                    awaitJit();
                    sending[0] = CpuSplit.now();
                    writes[0] = influxWrites();
                    stages[0] = StageTimes.read(hub.httpPort());
                } else if (sending[0] != null && sending[1] == null && text.startsWith("all answered")) {
                    // before loadgen closes its clients: their threads' CPU counts while they live
                    sending[1] = CpuSplit.now();
                    writes[1] = influxWrites();
                    stages[1] = StageTimes.read(hub.httpPort());
                }
                out.write(chars, off, len);
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
            }
        }, true);
        LoadResult result = LoadRun.run(new LoadRun.Settings(url, players, total, inFlight, rate, shape, start,
                Duration.ofSeconds(5), Duration.ofSeconds(60)), watch);
        watch.flush();
        out.print(result.summary());
        if (sending[0] != null) {
            CpuSplit end = sending[1] != null ? sending[1] : CpuSplit.now();
            out.printf(Locale.ROOT, "  %s%n", end.since(sending[0], result.readings()));
        }
        if (writes[0] != null && writes[1] != null && writes[1][0] > writes[0][0]) {
            long requests = writes[1][0] - writes[0][0];
            out.printf(Locale.ROOT, "  InfluxDB /write requests (all clients): %,d, %,.0f points and %,.0f bytes each%n", requests,
                    (double) (writes[1][1] - writes[0][1]) / requests, (double) (writes[1][2] - writes[0][2]) / requests);
        }
        if (stages[0] != null && stages[1] != null) {
            out.printf(Locale.ROOT, "  %s%n", stages[1].since(stages[0]));
        }
        lastStages[0] = stages[0];
        lastStages[1] = stages[1];
        if (!result.ok()) {
            throw new IllegalStateException("the hub refused batches or failed in " + name + "; see above");
        }
        return result;
    }

    /** {@link JitQuiet#await} with {@code --jit-quiet-ms}; says how long it waited. */
    private void awaitJit() {
        if (jitQuietMillis <= 0) {
            return;
        }
        try {
            out.printf(Locale.ROOT, "  (waited %,d ms for the JIT to finish compiling the preparation's code)%n",
                    JitQuiet.await(jitQuietMillis, 15_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** InfluxDB's /write counters, or null without an InfluxDB. */
    private long[] influxWrites() {
        if (influx == null || influx.isBlank()) {
            return null;
        }
        try {
            return new InfluxRawWriter(influx, "_internal").writeStats();
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void deleteTemporary() throws IOException {
        TemporaryFiles.delete(temporary);
    }

    // ---- results ----

    private void report(double[] raw, double[] hubRates, double hubP99, LoadResult paced, PacedWriteFloor.Result floor,
                        HubConfig config) {
        String machine = String.format(Locale.ROOT, "%d cores, OpenJDK %s, %s", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), LocalDate.now());
        double hub = hubRates.length == 0 ? 0 : median(hubRates);
        out.printf(Locale.ROOT, "%n== result (%d gateways x %d rooms, %,d readings per round, batches of %d records, %s) ==%n",
                gateways, rooms, readings, batchRecords, machine);
        if (raw != null) {
            out.printf(Locale.ROOT, "InfluxDB raw ceiling: %,.0f readings/s (median of %s; %d writers, %,d points per write, %s order)%n",
                    median(raw), rates(raw), writers, linesPerWrite, rawOrder);
        } else if (rounds > 0) {
            out.println("InfluxDB raw ceiling: skipped (no --influx and no SS_TEST_INFLUX_URL)");
        }
        if (rounds > 0) {
            out.printf(Locale.ROOT, "hub fed by loadgen:   %,.0f readings/s (median of %s; store %s; %d in flight per gateway),"
                    + " PUBACK p99 %.1f ms%n", hub, rates(hubRates), config.store().describe(), inFlight, hubP99);
        }
        if (raw != null) {
            out.printf(Locale.ROOT, "ratio hub / raw:      %.2f%n", hub / median(raw));
        }
        if (paced != null) {
            out.printf(Locale.ROOT, (pacedRate > 0 ? "paced (--paced-rate): " : "at half the maximum:  ")
                    + "%,.0f readings/s, PUBACK p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    paced.readingsPerSecond(), paced.latency().p50(), paced.latency().p95(), paced.latency().p99(),
                    paced.latency().max());
        }
        if (hubRequests != null) {
            out.printf(Locale.ROOT, "  of which InfluxDB:   %s%n", hubRequests.line());
        }
        if (floor != null) {
            out.printf(Locale.ROOT, "InfluxDB alone there: request p50 %.1f ms, p99 %.1f ms (from due: p50 %.1f ms, p99 %.1f ms);"
                            + " %,.0f-point requests, %d at once; hub PUBACK p50 %.1f ms, p99 %.1f ms: the hub adds %+.1f ms at p50,"
                            + " %+.1f ms at p99%n",
                    PacedWriteFloor.Result.ms(floor.request(), 50), PacedWriteFloor.Result.ms(floor.request(), 99),
                    PacedWriteFloor.Result.ms(floor.fromDue(), 50), PacedWriteFloor.Result.ms(floor.fromDue(), 99),
                    (double) floor.points() / Math.max(1, floor.requests()), floorConcurrency > 0 ? floorConcurrency
                            : InfluxTimeSeriesStore.GROUP_REQUESTS,
                    paced.latency().p50(), paced.latency().p99(),
                    paced.latency().p50() - PacedWriteFloor.Result.ms(floor.request(), 50),
                    paced.latency().p99() - PacedWriteFloor.Result.ms(floor.request(), 99));
        }
        out.flush();
    }

    private static String rates(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%,.0f", v))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

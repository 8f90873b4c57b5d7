package org.smartschool.hub.loadgen;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One load run: connects the gateways, prepares every gateway's batches (not timed), then sends
 * everything as fast as the hub acknowledges it (or at {@link Settings#rate()}), printing progress,
 * and returns the {@link LoadResult}. Used by {@code loadgen} and by the ingest benchmark.
 */
public final class LoadRun {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param hubUrl        {@code tcp://HOST:PORT} of the hub's gateway endpoint
     * @param readings      readings to send in all, shared out evenly between the gateways
     * @param inFlight      unacknowledged batches per gateway at most (further limited by the hub's Receive Maximum)
     * @param rate          readings per second in all; 0 sends as fast as the hub acknowledges
     * @param startMillis   the simulated time of the first readings; 0 places the run so that it ends a minute ago
     * @param progressEvery how often a progress line is printed; zero for none
     * @param ackTimeout    how long a full window may wait for a PUBACK before the gateway gives up
     */
    public record Settings(String hubUrl, List<GatewayCredential> gateways, long readings, int inFlight, double rate,
                           SchoolBatches.Shape shape, long startMillis, Duration progressEvery, Duration ackTimeout) {
        public static final int DEFAULT_IN_FLIGHT = 8;

        public Settings {
            Objects.requireNonNull(hubUrl, "hubUrl");
            if (!hubUrl.matches("(tcp|ssl)://[^/\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException("--hub must be tcp://HOST:PORT (or ssl://HOST:PORT): " + hubUrl);
            }
            gateways = List.copyOf(gateways);
            if (gateways.isEmpty()) {
                throw new IllegalArgumentException("--gateways must be at least 1");
            }
            if (readings < 1) {
                throw new IllegalArgumentException("--readings must be at least 1: " + readings);
            }
            if (inFlight < 1 || inFlight > GatewayLoad.DEFAULT_RECEIVE_MAXIMUM) {
                throw new IllegalArgumentException("--in-flight must be 1-65535: " + inFlight);
            }
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("--rate must be 0 (as fast as acknowledged) or more: " + rate);
            }
            Objects.requireNonNull(shape, "shape");
            if (startMillis < 0 || startMillis > SchoolBatches.MAX_START_MILLIS) {
                throw new IllegalArgumentException("--start must be after 1970 and before 2262: " + startMillis);
            }
            if (progressEvery.isNegative() || ackTimeout.isNegative() || ackTimeout.isZero()) {
                throw new IllegalArgumentException("--progress must not be negative and --ack-timeout must be positive");
            }
        }

        /** Readings of gateway {@code index}: an even share, the first ones taking the remainder. */
        long quota(int index) {
            long share = readings / gateways.size();
            return share + (index < readings % gateways.size() ? 1 : 0);
        }

        /** Where simulated time starts: given, or so that the longest gateway's readings end a minute ago. */
        long start(long nowMillis) {
            if (startMillis > 0) {
                return startMillis;
            }
            double perGatewaySecond = SchoolBatches.READINGS_PER_ROOM_SECOND * shape.rooms();
            long spanMillis = (long) Math.ceil(quota(0) / perGatewaySecond * 1000);
            return nowMillis - spanMillis - 60_000;
        }
    }

    private final Settings settings;
    private final PrintWriter out;
    private final LoadStats stats = new LoadStats();

    private LoadRun(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the load; progress and the steps go to {@code out}, the summary is the caller's to print. */
    public static LoadResult run(Settings settings, PrintWriter out) throws InterruptedException {
        return new LoadRun(settings, out).run();
    }

    private LoadResult run() throws InterruptedException {
        List<GatewayLoad> gateways = new ArrayList<>();
        try {
            // connect first: a wrong secret is reported at once, not after minutes of preparing
            List<String> failures = connect(gateways);
            if (!failures.isEmpty()) {
                return LoadResult.notStarted(failures.size(), failures.subList(0, Math.min(10, failures.size())));
            }
            return send(gateways, prepare());
        } finally {
            gateways.forEach(GatewayLoad::close);
        }
    }

    /** Builds and encodes every gateway's batches on all cores, before the clock starts. */
    private List<List<PreparedBatch>> prepare() throws InterruptedException {
        long startedAt = System.nanoTime();
        long start = settings.start(System.currentTimeMillis());
        List<GatewayCredential> gateways = settings.gateways();
        printf("preparing %,d readings for %d gateways (%d rooms per school, %d records per batch), simulated from %s%n",
                settings.readings(), gateways.size(), settings.shape().rooms(), settings.shape().batchRecords(),
                Instant.ofEpochMilli(start));
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<List<PreparedBatch>>> futures = new ArrayList<>();
            for (int i = 0; i < gateways.size(); i++) {
                GatewayCredential gateway = gateways.get(i);
                long quota = settings.quota(i);
                futures.add(pool.submit(() -> SchoolBatches.prepare(gateway, quota, settings.shape(), start)));
            }
            List<List<PreparedBatch>> out = new ArrayList<>();
            for (Future<List<PreparedBatch>> future : futures) {
                out.add(future.get());
            }
            long count = out.stream().mapToLong(List::size).sum();
            long bytes = out.stream().flatMap(List::stream).mapToLong(b -> b.frame().length).sum();
            long events = out.stream().flatMap(List::stream).mapToLong(PreparedBatch::events).sum();
            printf("prepared %,d batches (%,d readings, %,d events, %,d bytes: %.2f bytes per reading) in %.1f s (not timed)%n",
                    count, settings.readings(), events, bytes, (double) bytes / settings.readings(),
                    (System.nanoTime() - startedAt) / 1e9);
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing the batches failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Connects every gateway; returns one line per gateway that could not connect. */
    private List<String> connect(List<GatewayLoad> connected) {
        List<String> failures = new ArrayList<>();
        for (GatewayCredential gateway : settings.gateways()) {
            try {
                connected.add(GatewayLoad.connect(settings.hubUrl(), gateway, settings.inFlight(), stats, CONNECT_TIMEOUT));
            } catch (GatewayLoad.ConnectFailedException e) {
                failures.add(e.getMessage());
            }
        }
        if (failures.isEmpty()) {
            GatewayLoad first = connected.get(0);
            printf("connected %d gateways to %s; up to %d batches in flight per gateway (--in-flight %d, hub's Receive Maximum %d)%n",
                    connected.size(), settings.hubUrl(), first.window(), settings.inFlight(), first.receiveMaximum());
        }
        return failures;
    }

    private LoadResult send(List<GatewayLoad> gateways, List<List<PreparedBatch>> batches) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        long[] startNanos = new long[1];
        double perGatewayRate = settings.rate() / gateways.size();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < gateways.size(); i++) {
            GatewayLoad gateway = gateways.get(i);
            List<PreparedBatch> own = batches.get(i);
            // each gateway its own phase and jitter (Pacer), repeatable for a --seed
            Random random = new Random(settings.shape().seed() * 1_000_003L + i);
            Thread sender = new Thread(() -> {
                try {
                    go.await();
                    gateway.send(own, new Pacer(perGatewayRate, startNanos[0], random), settings.ackTimeout());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    stats.error("[gateway: " + gateway.gatewayId() + "] sender failed: " + e);
                }
            }, "loadgen " + gateway.gatewayId());
            senders.add(sender);
            sender.start();
        }
        printf("sending%s%n", settings.rate() > 0
                ? String.format(Locale.ROOT, " at %,.0f readings/s", settings.rate()) : " as fast as the hub acknowledges");
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadgen-progress");
            t.setDaemon(true);
            return t;
        });
        startNanos[0] = System.nanoTime();
        go.countDown(); // the latch publishes startNanos to the senders
        if (!settings.progressEvery().isZero()) {
            long every = settings.progressEvery().toMillis();
            long[] last = {startNanos[0], 0};
            progress.scheduleAtFixedRate(() -> printProgress(startNanos[0], last), every, every, TimeUnit.MILLISECONDS);
        }
        try {
            for (Thread sender : senders) {
                sender.join();
            }
        } finally {
            progress.shutdownNow();
            progress.awaitTermination(5, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - startNanos[0]) / 1e9;
        printf("all answered in %.1f s%n", seconds);
        return stats.result(seconds);
    }

    private void printProgress(long startNanos, long[] last) {
        long now = System.nanoTime();
        long readings = stats.readings();
        double sinceLast = (now - last[0]) / 1e9;
        double total = (now - startNanos) / 1e9;
        printf("[%6.1f s] %,d readings acknowledged (%,.0f/s now, %,.0f/s overall), %d batches in flight,"
                        + " %d refused, %d errors%n",
                total, readings, (readings - last[1]) / sinceLast, readings / total, stats.inFlight(),
                stats.refusedBatches(), stats.errors());
        last[0] = now;
        last[1] = readings;
    }

    private void printf(String format, Object... args) {
        synchronized (out) {
            out.printf(Locale.ROOT, format, args);
            out.flush();
        }
    }
}

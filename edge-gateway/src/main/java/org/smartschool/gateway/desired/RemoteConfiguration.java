package org.smartschool.gateway.desired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.gateway.uplink.DesiredConfigReceiver;
import org.smartschool.gateway.uplink.DesiredConfigStore;

/**
 * The hub's desired configuration on a running gateway: validates what arrives, keeps the last
 * good one on disk (next to the outbox, written atomically) and has it applied without a restart.
 *
 * <p>Rules: a version not above the one applied is ignored (a retained or replayed old message);
 * an invalid one never replaces a working one, and its version and reason stay in the health
 * report until a valid one arrives; a valid one is written to disk first, then applied, so that
 * what runs is what a reboot without the hub starts on.
 *
 * <p>Paho's callback thread only hands the payload over: validation, the fsync and the swap run
 * on one worker thread of their own, one configuration at a time, in the order they arrived.
 */
public final class RemoteConfiguration implements DesiredConfigReceiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteConfiguration.class);
    private static final int MAX_REASON = 300;

    private final Path file;
    private final DesiredConfigParser parser;
    private final String name;
    private final ExecutorService worker;
    private volatile Consumer<DesiredConfig> applier = c -> { };
    private volatile long applied = -1;
    private volatile String refusal;
    private final java.util.concurrent.atomic.AtomicLong ignored = new java.util.concurrent.atomic.AtomicLong();
    private byte[] lastGood; // worker thread only (and restore, before it starts)

    /**
     * @param file where the last applied configuration is kept ({@link DesiredConfigStore#nextTo})
     * @param name for the worker thread and logs, e.g. the gateway id
     */
    public RemoteConfiguration(Path file, DesiredConfigParser parser, String name) {
        this.file = file;
        this.parser = parser;
        this.name = name;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "desired-config " + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the configuration applied before the last stop. A stored file that no longer validates
     * (a codec this version lacks) is reported in health and left out: the gateway runs on gateway.yaml.
     *
     * @return the configuration to start on, if one is stored and valid
     */
    public Optional<DesiredConfig> restore() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            DesiredConfig stored = parser.parse(bytes);
            applied = stored.version();
            lastGood = bytes;
            LOG.info("[config: {}] starting on desired configuration version {} from {}", name, stored.version(), file);
            return Optional.of(stored);
        } catch (DesiredConfigException e) {
            refusal = oneLine("stored " + versionText(DesiredConfigParser.versionOf(readQuietly())) + e.getMessage());
            LOG.warn("[config: {}] stored desired configuration {} not used, running on gateway.yaml: {}",
                    name, file, refusal);
        } catch (IOException e) {
            refusal = oneLine("stored desired configuration unreadable: " + e.getMessage());
            LOG.warn("[config: {}] {}", name, refusal);
        }
        return Optional.empty();
    }

    /**
     * What applies a valid configuration to the running gateway. It may refuse one the running
     * gateway cannot take with a {@link DesiredConfigException}, before it changed anything; any
     * other failure is a bug, reported as such.
     */
    public void applyWith(Consumer<DesiredConfig> applier) {
        this.applier = applier;
    }

    @Override
    public void receive(byte[] payload) {
        byte[] copy = payload.clone();
        try {
            worker.execute(() -> take(copy));
        } catch (RejectedExecutionException e) {
            LOG.debug("[config: {}] stopping: desired configuration not taken", name);
        }
    }

    private void take(byte[] payload) {
        OptionalLong version = DesiredConfigParser.versionOf(payload);
        long current = applied;
        if (version.isPresent() && current >= 0 && version.getAsLong() <= current) {
            ignored.incrementAndGet();
            LOG.debug("[config: {}] desired configuration version {} ignored: version {} is applied",
                    name, version.getAsLong(), current);
            return;
        }
        DesiredConfig config;
        try {
            config = parser.parse(payload);
        } catch (DesiredConfigException e) {
            refuse(version, e.getMessage());
            return;
        }
        try {
            DesiredConfigStore.writeAtomically(file, config.json());
        } catch (IOException e) {
            // not applied: what runs must be what a reboot without the hub starts on
            refuse(version, "cannot be stored in " + file + ": " + e);
            return;
        }
        try {
            applier.accept(config);
        } catch (DesiredConfigException e) {
            // the running gateway cannot take it (checked before anything changed)
            refuse(version, e.getMessage());
            restoreFile();
            return;
        } catch (RuntimeException e) {
            LOG.error("[config: {}] applying desired configuration version {} failed", name, config.version(), e);
            refuse(version, "applying it failed: " + e);
            restoreFile();
            return;
        }
        applied = config.version();
        lastGood = config.json();
        refusal = null;
        LOG.info("[config: {}] desired configuration version {} applied ({}) and stored in {}", name, config.version(),
                config.summary(), file);
    }

    private void refuse(OptionalLong version, String reason) {
        refusal = oneLine(versionText(version) + reason);
        LOG.warn("[config: {}] desired configuration refused, still running version {}: {}", name,
                applied < 0 ? "none (gateway.yaml)" : applied, refusal);
    }

    private void restoreFile() {
        try {
            if (lastGood != null) {
                DesiredConfigStore.writeAtomically(file, lastGood);
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.error("[config: {}] cannot put back the last good desired configuration in {}: {}", name, file, e.toString());
        }
    }

    private byte[] readQuietly() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String versionText(OptionalLong version) {
        return version.isPresent() ? "version " + version.getAsLong() + ": " : "";
    }

    /** The parser already made outside text safe; this only keeps the reason on one bounded line. */
    private static String oneLine(String reason) {
        String line = reason.replaceAll("\\p{Cntrl}", " ");
        return line.length() > MAX_REASON ? line.substring(0, MAX_REASON) + "..." : line;
    }

    @Override
    public OptionalLong version() {
        long v = applied;
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override
    public String refusal() {
        return refusal;
    }

    /** Desired configurations ignored because their version was not above the applied one (replays). */
    public long ignoredVersions() {
        return ignored.get();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.smartschool.hub.fleet;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.FleetConfig;

/**
 * Fleet liveness: turns what the endpoint reports ({@link GatewayActivity}) and a periodic {@link #check()} into
 * fleet events, recorded durably in the {@link FleetEventLog}.
 *
 * <p><b>Ordering guarantee</b> (the alarms rely on it): every change of state and the hand-over of its events to
 * the one writer thread happen under one lock, and the writer records events in the order it got them; event times
 * never decrease. So the log's order (time, then recording order) is the order of the changes. A reading stored at
 * the instant of a check either lands before the check (no {@code sensor_silent}) or after it (the
 * {@code sensor_silent} is followed by its {@code sensor_back}); a {@code sensor_silent} is never left without
 * its clearing event once a reading of the device is stored. The same holds for {@code gateway_silent} and
 * {@code gateway_back}.
 */
public final class FleetMonitor implements GatewayActivity, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetMonitor.class);

    private final Liveness liveness;
    private final FleetEventLog log;
    private final Clock clock;
    /** One thread, so events are recorded in the order they were handed over. */
    private final ExecutorService writer;
    private final Map<FleetEventType, Counter> eventCounters = new EnumMap<>(FleetEventType.class);
    private final Counter recordFailures;

    public FleetMonitor(FleetConfig config, FleetEventLog log, Clock clock, MeterRegistry registry) {
        this.liveness = new Liveness(config);
        this.log = log;
        this.clock = clock;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hub-fleet-writer");
            t.setDaemon(true);
            return t;
        });
        for (FleetEventType type : FleetEventType.values()) {
            if (type == FleetEventType.SESSION_TAKEN_OVER || type == FleetEventType.TAKEOVER_LOOP) {
                // recorded by the endpoint and counted in hub_gateway_takeovers_total
                continue;
            }
            eventCounters.put(type, Counter.builder("hub.fleet.events").tag("type", type.label())
                    .description("Fleet events of liveness by type (take-overs are counted by the endpoint)")
                    .register(registry));
        }
        recordFailures = Counter.builder("hub.fleet.events.failed")
                .description("Fleet events that could not be recorded in the fleet event log").register(registry);
        Gauge.builder("hub.fleet.gateways.online", this, m -> m.count(Liveness::online))
                .description("Gateways connected and not silent").register(registry);
        Gauge.builder("hub.fleet.gateways.silent", this, m -> m.count(Liveness::silentGateways))
                .description("Gateways silent for fleet.gatewaySilentSeconds").register(registry);
        Gauge.builder("hub.fleet.sensors.silent", this, m -> m.count(Liveness::silentSensors))
                .description("Sensors silent for fleet.sensorSilentIntervals of their expected interval").register(registry);
    }

    /**
     * Takes back the gateways the previous hub process knew (offline, with their last contact, health and
     * silence) and records the closing events it could not; call once at start, before the endpoint runs.
     */
    public synchronized void restore(FleetRestore.Restored restored) {
        restored.gateways().forEach(liveness::restore);
        hand(restored.closing());
    }

    @Override
    public synchronized void connected(String gateway, String school, Object connection) {
        hand(liveness.connected(gateway, school, connection, clock.millis()));
    }

    @Override
    public synchronized void disconnected(String gateway, Object connection, OfflineCause cause, String detail) {
        hand(liveness.disconnected(gateway, connection, cause, detail, clock.millis()));
    }

    @Override
    public synchronized void contact(String gateway, String school) {
        hand(liveness.contact(gateway, school, clock.millis()));
    }

    @Override
    public void healthRecorded(String gateway, String school, String healthJson) {
        HealthSummary summary = HealthSummary.of(healthJson, clock.millis());
        synchronized (this) {
            hand(liveness.health(gateway, school, summary, summary.receivedAt()));
        }
    }

    @Override
    public void batchStored(Batch batch) {
        List<Liveness.DeviceSample> samples = Liveness.samples(batch);
        synchronized (this) {
            hand(liveness.stored(batch.gatewayId(), batch.school(), samples, clock.millis()));
        }
    }

    /**
     * Looks for gateways and sensors that fell silent.
     *
     * @return the events found, once they (and every event handed over before them) are recorded
     */
    public CompletableFuture<List<FleetEvent>> check() {
        List<FleetEvent> events;
        synchronized (this) {
            events = liveness.check(clock.millis());
            hand(events);
        }
        return CompletableFuture.supplyAsync(() -> events, writer);
    }

    /** Completes once every event handed over so far is recorded (or failed to be). */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.runAsync(() -> { }, writer);
    }

    /** Every gateway heard from, also by an earlier hub process (restored from the state database), ordered by id. */
    public synchronized List<GatewayLiveness> gateways() {
        return liveness.gateways();
    }

    /** The expected reading interval of a device, in ms (learned, or the configured default). */
    public synchronized long expectedIntervalMillis(String school, String device) {
        return liveness.expectedMillis(school, device);
    }

    private synchronized int count(java.util.function.ToIntFunction<Liveness> what) {
        return what.applyAsInt(liveness);
    }

    /** Called under the lock: the writer's queue keeps the order of the changes. */
    private void hand(List<FleetEvent> events) {
        for (FleetEvent event : events) {
            Counter counter = eventCounters.get(event.type());
            if (counter != null) {
                counter.increment();
            }
            try {
                writer.execute(() -> record(event));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the hub is stopping: the last connections close after the writer
                recordFailures.increment();
                LOG.debug("[gateway: {}] fleet event {} not recorded: the hub is stopping", event.gateway(),
                        event.type().label());
            }
        }
    }

    private void record(FleetEvent event) {
        try {
            log.record(event);
        } catch (RuntimeException e) {
            recordFailures.increment();
            LOG.warn("[gateway: {}] cannot record fleet event {}: {}", event.gateway(), event.type().label(), e.getMessage());
        }
    }

    /** Records what is queued, then stops the writer. The log itself is closed by its owner. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("fleet event writer did not finish within 10 s; {} events not recorded", writer.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

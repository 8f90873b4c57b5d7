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
 *
 * <p><b>Replicas</b> (several hubs on one PostgreSQL state database, given a {@link SharedLiveness}): every few
 * seconds ({@link #share()}) a replica writes the last contacts it heard; a check first takes in what the others
 * heard, so a gateway (or sensor) connected elsewhere is not silent here; and each silence, its end and each
 * offline of a connection the gateway already left is admitted by the shared state on the writer thread before
 * it is recorded, so that across the replicas each is recorded once (and so makes one alarm), as by one hub.
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
    /** Null for one hub: every event is recorded as it is found. */
    private final SharedLiveness shared;
    /** A gateway whose silence another replica disproved: its {@code gateway_offline} (silent) goes too. Writer only. */
    private String disproved;

    public FleetMonitor(FleetConfig config, FleetEventLog log, Clock clock, MeterRegistry registry) {
        this(config, log, clock, registry, null);
    }

    /** @param shared what the hub replicas on one state database know together; null for a single hub */
    public FleetMonitor(FleetConfig config, FleetEventLog log, Clock clock, MeterRegistry registry, SharedLiveness shared) {
        this.liveness = new Liveness(config);
        this.shared = shared;
        if (shared != null) {
            liveness.trackContacts();
        }
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
        // FleetRestore left out those another replica holds: the rest is recorded as found
        handAdmitted(restored.closing());
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
        if (shared != null) {
            takeInShared();
        }
        List<FleetEvent> events;
        synchronized (this) {
            events = liveness.check(clock.millis());
            hand(events);
        }
        return CompletableFuture.supplyAsync(() -> events, writer);
    }

    /**
     * Replicas: writes the contacts heard here since the last call to the shared state, then records the end of
     * the silences some replica heard from since (each by one replica). Does nothing for a single hub.
     *
     * @return completes once written and recorded (on the writer, after every event handed over before)
     */
    public CompletableFuture<Void> share() {
        if (shared == null) {
            return CompletableFuture.completedFuture(null);
        }
        Liveness.Contacts contacts;
        synchronized (this) {
            contacts = liveness.drainContacts();
        }
        return CompletableFuture.runAsync(() -> {
            List<SharedLiveness.Ended> ended;
            try {
                shared.recordContacts(contacts.gateways(), contacts.devices());
                ended = shared.endHeardSilences(clock.millis());
            } catch (RuntimeException e) {
                synchronized (this) {
                    liveness.undrain(contacts);
                }
                LOG.warn("cannot share fleet liveness with the other hub replicas: {}", e.getMessage());
                return;
            }
            if (!ended.isEmpty()) {
                synchronized (this) {
                    // claimed already: queued behind what is handed over now, recorded as they are
                    handAdmitted(liveness.endedElsewhere(ended, clock.millis()));
                }
            }
        }, writer);
    }

    /** Before a check: what the other replicas heard (blocking reads, outside the lock). */
    private void takeInShared() {
        try {
            Map<String, SharedLiveness.GatewayRow> rows = shared.gateways();
            List<Map.Entry<String, String>> silentHere;
            synchronized (this) {
                silentHere = liveness.silentDevices();
            }
            List<SharedLiveness.DeviceRow> devices = shared.devices(silentHere);
            synchronized (this) {
                liveness.sync(rows, devices);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read what the other hub replicas heard; checking on this hub's contacts: {}", e.getMessage());
        }
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

    /** Sensors silent in this hub's view (the gauge {@code hub_fleet_sensors_silent}). */
    public int silentSensors() {
        return count(Liveness::silentSensors);
    }

    private synchronized int count(java.util.function.ToIntFunction<Liveness> what) {
        return what.applyAsInt(liveness);
    }

    /** Called under the lock: the writer's queue keeps the order of the changes. */
    private void hand(List<FleetEvent> events) {
        if (shared == null) {
            handAdmitted(events);
            return;
        }
        for (FleetEvent event : events) {
            long lastSeen = liveness.lastSeenFor(event);
            handTo(event, () -> admit(event, lastSeen), false);
        }
    }

    /** Events recorded as they are (one hub; or claimed in the shared state already). */
    private void handAdmitted(List<FleetEvent> events) {
        for (FleetEvent event : events) {
            handTo(event, () -> record(event), true);
        }
    }

    /** @param countNow false where {@link #admit} counts the event once it is recorded */
    private void handTo(FleetEvent event, Runnable work, boolean countNow) {
        if (countNow) {
            count(event.type());
        }
        try {
            writer.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the hub is stopping: the last connections close after the writer
            recordFailures.increment();
            LOG.debug("[gateway: {}] fleet event {} not recorded: the hub is stopping", event.gateway(),
                    event.type().label());
        }
    }

    /**
     * On the writer: lets the shared state decide whether this replica records the event (see the class comment).
     *
     * @param lastSeen {@link Liveness#lastSeenFor} when the event was found
     */
    private void admit(FleetEvent event, long lastSeen) {
        try {
            switch (event.type()) {
                case GATEWAY_SILENT -> {
                    disproved = null;
                    SharedLiveness.ClaimResult claim = shared.claimGatewaySilence(event.gateway(), event.school(),
                            lastSeen, lastSeen, event.time());
                    switch (claim.claim()) {
                        case CLAIMED -> {
                            recordCounted(event);
                            shared.gatewaySilenceRecorded(event.gateway());
                        }
                        case ALREADY_SILENT -> LOG.debug("[gateway: {}] silent: recorded by another hub replica",
                                event.gateway());
                        case HEARD_ELSEWHERE -> {
                            disproved = event.gateway();
                            synchronized (this) {
                                liveness.gatewayHeardElsewhere(event.gateway(), claim.lastSeen());
                            }
                        }
                    }
                }
                case GATEWAY_OFFLINE -> {
                    shared.disconnected(event.gateway()); // only when this replica still holds it
                    boolean silentCause = OfflineCause.SILENT.label().equals(event.cause());
                    if (silentCause && event.gateway().equals(disproved)) {
                        return; // its connection here is a stale one: the gateway talks to another replica
                    }
                    if (!silentCause && !OfflineCause.DISCONNECTED.label().equals(event.cause())
                            && shared.movedAway(event.gateway(), lastSeen)) {
                        // a dead connection noticed late: the gateway is online at another replica already
                        LOG.debug("[gateway: {}] connection lost after it moved to another hub replica", event.gateway());
                        return;
                    }
                    recordCounted(event);
                }
                case GATEWAY_BACK -> {
                    if (shared.endGatewaySilence(event.gateway(), event.school(), event.time())) {
                        recordCounted(event);
                    }
                }
                case GATEWAY_ONLINE -> {
                    if (shared.connected(event.gateway(), event.school(), event.time())) {
                        // silent by another replica's word, and it never was here
                        recordCounted(new FleetEvent(event.time(), event.gateway(), event.school(),
                                FleetEventType.GATEWAY_BACK, null, null, null, "connected after silence"));
                    }
                    recordCounted(event);
                }
                case SENSOR_SILENT -> {
                    SharedLiveness.DeviceContact here = new SharedLiveness.DeviceContact(event.school(), event.device(),
                            event.room(), event.gateway(), lastSeen);
                    SharedLiveness.ClaimResult claim = shared.claimSensorSilence(here, lastSeen, event.time());
                    if (claim.claim() == SharedLiveness.Claim.CLAIMED) {
                        recordCounted(event);
                        shared.sensorSilenceRecorded(event.school(), event.device());
                    } else if (claim.claim() == SharedLiveness.Claim.HEARD_ELSEWHERE) {
                        synchronized (this) {
                            liveness.sensorHeardElsewhere(event.school(), event.device(), claim.lastSeen());
                        }
                    }
                }
                case SENSOR_BACK -> {
                    if (shared.endSensorSilence(new SharedLiveness.DeviceContact(event.school(), event.device(),
                            event.room(), event.gateway(), event.time()))) {
                        recordCounted(event);
                    }
                }
                default -> recordCounted(event);
            }
        } catch (RuntimeException e) {
            recordFailures.increment();
            LOG.warn("[gateway: {}] cannot settle fleet event {} with the other hub replicas: {}", event.gateway(),
                    event.type().label(), e.getMessage());
        }
    }

    private void recordCounted(FleetEvent event) {
        count(event.type());
        record(event);
    }

    private void count(FleetEventType type) {
        Counter counter = eventCounters.get(type);
        if (counter != null) {
            counter.increment();
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

package org.smartschool.gateway.app;

import java.nio.file.Path;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.gateway.alarm.SchoolRules;
import org.smartschool.gateway.attendance.DoorAttendance;
import org.smartschool.gateway.coap.CoapDeviceServer;
import org.smartschool.gateway.coap.CoapSite;
import org.smartschool.gateway.coap.GatewayCoap;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.desired.DesiredConfig;
import org.smartschool.gateway.desired.DesiredConfigException;
import org.smartschool.gateway.desired.DesiredConfigParser;
import org.smartschool.gateway.desired.RemoteConfiguration;
import org.smartschool.gateway.outbox.JudgeClock;
import org.smartschool.gateway.outbox.JudgeChain;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.south.DeviceRateLimiter;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.south.SouthSubscriber;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.uplink.DesiredConfigStore;
import org.smartschool.gateway.uplink.HealthReport;
import org.smartschool.gateway.uplink.Uplink;
import org.smartschool.gateway.wired.WiredDevices;
import org.smartschool.gateway.wired.WiredMeters;
import org.smartschool.gateway.wired.WiredRoutes;

/**
 * One running edge gateway: south subscriber, outbox and uplink, wired from a {@link GatewayConfig}.
 *
 * <p>No static state, no {@code System.exit}, no logging configuration: several gateways can run
 * in one process (the hub's demo does), each with its own outbox file.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Outbox outbox;
    private final GatewayMetrics metrics;
    private final SouthSubscriber south;
    private final Uplink uplink;
    private final RemoteConfiguration remote;
    private final SchoolRules rules;
    private JudgeClock ruleClock;
    private DoorAttendance door;
    private JudgeClock attendanceClock;
    private java.util.function.LongSupplier clock = System::currentTimeMillis;
    /** The rules running now (gateway.yaml's or the hub's): only the desired-configuration worker changes it. */
    private volatile RulesSettings rulesRunning;
    private WiredDevices wired;
    private volatile GatewayCoap coap; // set once started
    private boolean closed;

    private Gateway(GatewayConfig config, Outbox outbox, GatewayMetrics metrics, SouthSubscriber south, Uplink uplink,
                    RemoteConfiguration remote, SchoolRules rules, RulesSettings rulesRunning) {
        this.remote = remote;
        this.rules = rules;
        this.rulesRunning = rulesRunning;
        this.config = config;
        this.outbox = outbox;
        this.metrics = metrics;
        this.south = south;
        this.uplink = uplink;
    }

    /** Starts a gateway with its own metrics registry. */
    public static Gateway start(GatewayConfig config, CodecRegistry codecs) {
        return start(config, codecs, new SimpleMeterRegistry());
    }

    /**
     * Opens the outbox and starts the uplink and the south subscriber. Both connect in the
     * background and keep retrying: a gateway starts even when its broker or the hub is down.
     *
     * @param registry where the gateway's counters go (tagged {@code gateway=<id>})
     * @throws IllegalArgumentException when a route names a codec that {@code codecs} does not have
     * @throws org.smartschool.gateway.outbox.OutboxException when the outbox file cannot be opened
     */
    public static Gateway start(GatewayConfig config, CodecRegistry codecs, MeterRegistry registry) {
        // a tap is judged at the system clock's time of its receipt, however long the outbox's writer took to reach it
        return start(config, codecs, registry, System::currentTimeMillis, java.util.function.LongUnaryOperator.identity());
    }

    /**
     * Like {@link #start(GatewayConfig, CodecRegistry, MeterRegistry)}, with the clock attendance judges its
     * cut-offs and door taps by (tests run a morning on a clock of their own): a tap is judged at that clock's
     * time when the outbox's writer takes it. Other device messages keep the system clock's time of receipt.
     */
    public static Gateway start(GatewayConfig config, CodecRegistry codecs, MeterRegistry registry,
                                java.util.function.LongSupplier clock) {
        return start(config, codecs, registry, clock, received -> clock.getAsLong());
    }

    /**
     * Like {@link #start(GatewayConfig, CodecRegistry, MeterRegistry, java.util.function.LongSupplier)}, with the
     * door taps judged on that clock too: {@code tapTime} turns a tap's receive time (the system clock's) into the
     * attendance clock's time. The hub's demo runs a school morning from 06:45 faster than real time this way;
     * a real gateway judges by the system clock (the identity).
     */
    public static Gateway start(GatewayConfig config, CodecRegistry codecs, MeterRegistry registry,
                                java.util.function.LongSupplier clock, java.util.function.LongUnaryOperator tapTime) {
        new TopicRouter(config.school(), config.south().routes(), codecs); // gateway.yaml's routes must be valid
        Path outboxPath = Path.of(config.outbox().path());
        // the hub's last applied desired configuration takes precedence over gateway.yaml's routes
        RemoteConfiguration remote = new RemoteConfiguration(DesiredConfigStore.nextTo(outboxPath),
                new DesiredConfigParser(config.school(), codecs), config.gatewayId());
        Optional<DesiredConfig> stored = remote.restore();
        TopicRouter router = new TopicRouter(config.school(),
                stored.map(d -> d.routesOr(config.south().routes())).orElse(config.south().routes()), codecs);
        if (config.north().password() == null || config.north().password().isEmpty()) {
            LOG.warn("[gateway: {}] north.password is empty: a hub will refuse this gateway", config.gatewayId());
        }
        long lastWritten = lastWritten(outboxPath); // before opening, which writes it
        Outbox outbox = Outbox.open(outboxPath, outboxLimits(config.outbox()));
        GatewayMetrics metrics = new GatewayMetrics(registry, config.gatewayId());
        metrics.gauge("gateway_outbox_records", "readings and events waiting in the outbox", outbox::size);
        metrics.gauge("gateway_outbox_oldest_age_seconds", "age of the oldest waiting record (0 when none waits)",
                () -> outbox.oldestAppendedAt().isPresent()
                        ? (System.currentTimeMillis() - outbox.oldestAppendedAt().getAsLong()) / 1000.0 : 0);
        // the school's rules judge every record as it enters the outbox, going on from the state it holds
        RulesSettings rulesAtStart = config.rules();
        if (stored.isPresent()) {
            try {
                rulesAtStart = stored.get().rulesOr(config.rules());
            } catch (IllegalArgumentException e) {
                // gateway.yaml changed since the hub's rules were stored: the hub sends them again on connecting
                LOG.warn("[gateway: {}] the stored desired configuration's rules do not fit gateway.yaml's ({}); "
                        + "gateway.yaml's rules run until the hub sends its configuration", config.gatewayId(),
                        e.getMessage());
            }
        }
        SchoolRules rules;
        try {
            rules = SchoolRules.open(outbox, rulesAtStart.toRuleBook(), rulesAtStart.toLessonHours());
        } catch (RuntimeException e) {
            outbox.close(); // the gateway does not start: its outbox lock must not outlive it
            throw e;
        }
        // attendance at the doors: every card tap is decided (and its UID replaced by its hash) before the rules see it
        org.smartschool.gateway.attendance.AttendancePlan planAtStart = stored.flatMap(DesiredConfig::attendance).orElse(null);
        DoorAttendance door = DoorAttendance.open(outbox, config.school(), config.gatewayId(), planAtStart, tapTime);
        Outbox.Judge judges = JudgeChain.of(door, rules);
        for (java.util.Map.Entry<String, Long> c : org.smartschool.gateway.attendance.AttendanceCounters.NONE.asMap().entrySet()) {
            String name = c.getKey();
            io.micrometer.core.instrument.FunctionCounter.builder("gateway_" + name, door, d -> d.counters().asMap().get(name))
                    .description("attendance at the doors: " + name.substring("attendance_".length()).replace('_', ' '))
                    .tag("gateway", config.gatewayId()).register(registry);
        }
        metrics.gauge("gateway_alarms_active", "alarms the school's rules hold open", rules::activeAlarms);
        metrics.gauge("gateway_rule_tracks", "rule tracks (rule x sensor series) the school's rules hold", rules::trackCount);
        io.micrometer.core.instrument.FunctionCounter.builder("gateway_alarm_transitions", rules, SchoolRules::transitions)
                .description("alarm transitions (raised, severity changed, cleared) stored in the outbox")
                .tag("gateway", config.gatewayId()).register(registry);
        MessageIntake intake = new MessageIntake(router, outbox, metrics, config.south().maxPayloadBytes(), judges)
                .answeringTaps(door);
        SouthSubscriber south = new SouthSubscriber(config.south().url(), config.southClientId(),
                config.south().username(), config.south().password(), router.subscriptions(),
                config.south().acceptRetained(), intake,
                config.gatewayId(), metrics, config.south().retryMinMillis(), config.south().retryMaxMillis(),
                new DeviceRateLimiter(config.south().deviceMaxMessagesPerSecond()), lastWritten);
        Uplink uplink = new Uplink(config, outbox, metrics, new BatchCodec(), remote);
        uplink.reportSouthLink(south::isConnected);
        uplink.reportRules(() -> new HealthReport.Rules(rules.activeAlarms(), rules.trackCount(), rules.transitions()));
        uplink.reportAttendance(door::counters);
        Gateway gateway = new Gateway(config, outbox, metrics, south, uplink, remote, rules, rulesAtStart);
        gateway.door = door;
        gateway.clock = clock;
        remote.applyWith(desired -> {
            GatewayCoap coap = gateway.coap;
            if (coap != null) {
                coap.check(desired); // before anything changes: a configuration is applied whole or not at all
            }
            gateway.applyRules(desired.rulesOr(config.rules()));
            gateway.applyAttendance(desired.attendance().orElse(null)); // the last step that can refuse
            // one swap: the next message is routed by the new map, then the broker's subscriptions follow
            TopicRouter next = new TopicRouter(config.school(), desired.routesOr(config.south().routes()), codecs);
            intake.useRouter(next);
            south.resubscribe(next.subscriptions());
            if (coap != null) {
                coap.apply(desired); // the CoAP server keeps running: resource map and keys swapped
            }
        });
        try {
            // CoAP first: a desired configuration from the hub (after the uplink connects) finds it running
            gateway.coap = GatewayCoap.start(config.coap(), stored, config.school(), codecs,
                    coapRouter -> new MessageIntake(coapRouter, outbox, metrics, config.coap().maxPayloadBytes(), judges)
                            .answeringTaps(door),
                    metrics, config.gatewayId());
            gateway.ruleClock = JudgeClock.start("rules", "silent sensors", "rule-clock " + config.gatewayId(),
                    rules::clock, System::currentTimeMillis, JudgeClock.PERIOD_MILLIS);
            gateway.attendanceClock = JudgeClock.start("attendance", "cut-offs", "attendance-clock " + config.gatewayId(),
                    now -> !door.on() || door.clock(now), clock, JudgeClock.PERIOD_MILLIS);
            uplink.start();
            south.start();
            if (config.wired().enabled() && config.wired().hasDevices()) {
                // wired devices answer each message like CoAP ones: their own device map, the same outbox
                MessageIntake wiredIntake = new MessageIntake(WiredRoutes.router(config.school(), config.wired(), codecs),
                        outbox, metrics, config.south().maxPayloadBytes(), judges).answeringTaps(door);
                gateway.wired = WiredDevices.start(config.wired(), config.school(), wiredIntake);
                WiredMeters.bind(gateway.wired, registry, config.gatewayId());
                WiredDevices wired = gateway.wired;
                uplink.reportWired(() -> new HealthReport.Wired(wired.sink().recorded(), wired.sink().rejected(),
                        wired.sink().dropped(), wired.status()));
            }
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        LOG.info("[gateway: {}] started for school {}: south {} ({} subscriptions{}), north {}, outbox {} ({} records waiting)",
                config.gatewayId(), config.school(), config.south().url(), router.subscriptions().size(),
                stored.isPresent() ? ", desired configuration version " + stored.get().version() : "",
                config.north().url(), outboxPath, outbox.size());
        return gateway;
    }

    /**
     * Runs {@code next} from now on, with the transitions it causes (alarms of rules that went are
     * cleared) stored like any other; nothing changes when it is what runs already.
     *
     * @throws DesiredConfigException when the outbox cannot take the transitions now (nothing changed)
     */
    private void applyRules(RulesSettings next) {
        if (next.equals(rulesRunning)) {
            return;
        }
        boolean applied;
        try {
            applied = rules.replace(next.toRuleBook(), next.toLessonHours(), System.currentTimeMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DesiredConfigException("rules: not applied, the gateway is stopping");
        } catch (org.smartschool.gateway.outbox.OutboxException e) {
            throw new DesiredConfigException("rules: not applied, the outbox cannot store their alarm changes: " + e.getMessage());
        }
        if (!applied) {
            throw new DesiredConfigException("rules: not applied, the outbox is full of events; send it again later");
        }
        rulesRunning = next;
        LOG.info("[gateway: {}] school rules replaced: {} rules of the school's own, {} overrides, {} room kinds",
                config.gatewayId(), next.rules().size(), next.overrides().size(), next.roomKinds().size());
    }

    /**
     * Puts the hub's attendance plan in force (null: off), without a restart.
     *
     * @throws DesiredConfigException when the outbox cannot store the switch now (nothing changed)
     */
    private void applyAttendance(org.smartschool.gateway.attendance.AttendancePlan next) {
        if (next == door.plan()) {
            return;
        }
        boolean applied;
        try {
            applied = door.replace(next, clock.getAsLong());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DesiredConfigException("attendance: not applied, the gateway is stopping");
        } catch (org.smartschool.gateway.outbox.OutboxException e) {
            throw new DesiredConfigException("attendance: not applied, the outbox cannot store it: " + e.getMessage());
        }
        if (!applied) {
            throw new DesiredConfigException("attendance: not applied, the outbox is full; send it again later");
        }
        LOG.info("[gateway: {}] attendance {}", config.gatewayId(), next == null ? "off" : "plan in force: " + next);
    }

    /** The health report as the gateway would publish it now. */
    public HealthReport healthReport() {
        return uplink.healthReport();
    }

    /** Attendance at the doors: decisions, counters. */
    public DoorAttendance attendance() {
        return door;
    }

    /** The school's rules at work on this gateway (alarms open, rule tracks). */
    public SchoolRules rules() {
        return rules;
    }

    /**
     * This gateway's CoAP devices, for a CoAP server that serves several gateways (the hub's demo);
     * null when CoAP is off and the codec registry lacks the CoAP routes' codecs.
     */
    public CoapSite coapSite() {
        return coap == null ? null : coap.site();
    }

    /** The gateway's own CoAP server, or null when {@code coap.enabled} is off or no device may post. */
    public CoapDeviceServer coapServer() {
        return coap == null ? null : coap.server();
    }

    /** Whether the device broker has granted the gateway's subscriptions on the current connection. */
    public boolean southSubscribed() {
        return south.isSubscribed();
    }

    public GatewayConfig config() {
        return config;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The hub's desired configuration: the version applied and the last refusal. */
    public RemoteConfiguration remoteConfiguration() {
        return remote;
    }

    /** The outbox, for reading its size and dead letters; the gateway owns it (do not close it). */
    public Outbox outbox() {
        return outbox;
    }

    /** The devices wired to the Pi, or null when {@code wired} is off. */
    public WiredDevices wired() {
        return wired;
    }

    public GatewayStatus status() {
        return new GatewayStatus(config.gatewayId(), config.school(), south.isConnected(), uplink.isConnected(),
                outbox.size(), outbox.oldestAppendedAt(), outbox.deadLetterCount(),
                (long) metrics.southMessages().count(), metrics.decodeErrorsTotal(),
                (long) metrics.unknownDevices().count(), (long) metrics.batchesSent().count(),
                (long) metrics.batchesRejected().count(), (long) metrics.recordsSent().count(),
                remote.version(), outbox.refusedBatchCount(), outbox.diskFull());
    }

    /**
     * When this gateway last wrote its outbox before this start (the newest of the database and its
     * journal files): the broker queued the devices' messages since, which a restart must not take
     * for a flood. Now when nothing can be read.
     */
    static long lastWritten(Path outboxPath) {
        long newest = 0;
        for (String suffix : new String[] {"", "-wal", "-journal"}) {
            Path file = outboxPath.resolveSibling(outboxPath.getFileName() + suffix);
            try {
                newest = Math.max(newest, java.nio.file.Files.getLastModifiedTime(file).toMillis());
            } catch (java.io.IOException e) {
                // not there: nothing written through it
            }
        }
        return newest == 0 ? System.currentTimeMillis() : newest;
    }

    /** The outbox's bounds from its configuration section. */
    public static OutboxLimits outboxLimits(GatewayConfig.OutboxSettings settings) {
        return new OutboxLimits(settings.maxRecords(), settings.maxBytes(), settings.maxDeadLetters(),
                settings.maxRefusedBatches(), settings.minFreeBytes(), settings.reserveBytes(),
                settings.redeliveryWindowMillis(), settings.maxDeadLetterBytes());
    }

    /**
     * Stops cleanly: the south side stops taking messages (the broker keeps what was not
     * acknowledged), the batch in flight gets its PUBACK or times out, then the outbox is closed.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (wired != null) {
            try {
                wired.close(); // before the outbox closes: what the wired devices handed over is kept
            } catch (RuntimeException e) {
                LOG.warn("[gateway: {}] wired devices did not stop cleanly: {}", config.gatewayId(), e.toString());
            }
        }
        try {
            if (coap != null) {
                coap.close();
            }
            south.close();
        } finally {
            try {
                if (ruleClock != null) {
                    ruleClock.close();
                }
                if (attendanceClock != null) {
                    attendanceClock.close();
                }
                uplink.close();
            } finally {
                remote.close();
                outbox.close();
            }
        }
        LOG.info("[gateway: {}] stopped", config.gatewayId());
    }
}

package org.smartschool.hub.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.hub.api.AccessCheck;
import org.smartschool.hub.api.AuditRoutes;
import org.smartschool.hub.api.AuthRoutes;
import org.smartschool.hub.api.Authenticator;
import org.smartschool.hub.api.HealthRoutes;
import org.smartschool.hub.api.HttpApi;
import org.smartschool.hub.api.ReportRoutes;
import org.smartschool.hub.api.ReportSchoolsOfHub;
import org.smartschool.hub.api.MetricsRoutes;
import org.smartschool.hub.api.OpenApiRoutes;
import org.smartschool.hub.api.ConsoleRoutes;
import org.smartschool.hub.api.EventStreamRoutes;
import org.smartschool.hub.api.ReadingsRoutes;
import org.smartschool.hub.api.RegisteredPlaces;
import org.smartschool.hub.api.AlarmRoutes;
import org.smartschool.hub.api.RegistryRoutes;
import org.smartschool.hub.api.RosterRoutes;
import org.smartschool.hub.roster.Rosters;
import org.smartschool.hub.api.WebhookRoutes;
import org.smartschool.hub.api.RouteGroup;
import org.smartschool.hub.api.SchoolStatusRoutes;
import org.smartschool.hub.api.SchoolsRoutes;
import org.smartschool.hub.auth.Accounts;
import org.smartschool.hub.auth.AccountsBootstrap;
import org.smartschool.hub.auth.LoginThrottle;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.desired.DesiredConfigs;
import org.smartschool.hub.endpoint.GatewayEndpoint;
import org.smartschool.hub.endpoint.IngestWorkers;
import org.smartschool.hub.api.FleetRoutes;
import org.smartschool.hub.alarm.AlarmApplyingStore;
import org.smartschool.hub.alarm.AlarmStore;
import org.smartschool.hub.live.LiveAlarmStore;
import org.smartschool.hub.live.LiveEvents;
import org.smartschool.hub.state.PostgresLiveRelay;
import org.smartschool.hub.live.LiveFleetEventLog;
import org.smartschool.hub.live.LiveReadingStore;
import org.smartschool.hub.alarm.AlarmingFleetEventLog;
import org.smartschool.hub.alarm.HubRules;
import org.smartschool.hub.fleet.GatewayActivityTee;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.forward.RetrySchedule;
import org.smartschool.hub.forward.WebhookDispatcher;
import org.smartschool.hub.forward.edfi.EdfiDispatcher;
import org.smartschool.hub.forward.edfi.EdfiMapping;
import org.smartschool.hub.api.AttendanceRoutes;
import org.smartschool.hub.attendance.AttendanceApplyingStore;
import org.smartschool.hub.attendance.AttendanceRecorder;
import org.smartschool.hub.attendance.AttendanceSink;
import org.smartschool.hub.api.AttendanceQueryRoutes;
import org.smartschool.hub.fleet.FleetMonitor;
import org.smartschool.hub.fleet.FleetRestore;
import org.smartschool.hub.fleet.SharedLiveness;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.registry.RegistryGatewayCredentials;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.state.StateStores;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.report.DesiredRulesSource;
import org.smartschool.hub.report.MonthlyReports;

/**
 * One running hub: the gateway MQTT endpoint and the HTTP API over one store. It only wires; the
 * parts decide. Nothing is static, so a process (tests, the demo) may run several hubs.
 *
 * <pre>{@code
 * Hub.start(vertx, config).onSuccess(hub -> System.out.println("http://localhost:" + hub.httpPort() + "/"));
 * }</pre>
 */
public final class Hub {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    /** The registry changes rarely; two threads keep a slow export from holding up a lookup. */
    private static final int STATE_THREADS = 2;
    private static final long ESCALATION_CHECK_MS = 30_000;
    /** How often the gateways' credentials are re-read, for those another replica registered. */
    private static final long CREDENTIALS_REFRESH_MS = 30_000;
    /** How often the registry's room kinds are re-read for the gateways' desired configurations. */
    static final long DESIRED_CONFIG_REFRESH_MS = 10_000;
    /** How often a replica on PostgreSQL writes the contacts it heard (one transaction, not one per batch). */
    private static final long FLEET_SHARE_MS = 5_000;
    /** A console's live event stream: events it may have waiting before it is dropped as too slow. */
    private static final int LIVE_QUEUED_EVENTS = 512;
    /** A comment line on an idle live event stream, well within the usual proxy idle timeouts (60 s). */
    private static final long LIVE_HEARTBEAT_MS = 15_000;
    /** A live event stream is ended after this and reopened by the browser, its session checked again. */
    private static final long LIVE_LIFETIME_MS = 5 * 60_000;

    private final Vertx vertx;
    private final HubConfig config;
    private final ReadingStore store;
    /** HTTP reads and /health: apart from ingest's pools, so that a busy ingest never starves them. */
    private final WorkerExecutor readWorker;
    private final IngestWorkers ingest;
    private final FleetEventLog fleet;
    private final PrometheusMeterRegistry registry;
    private final GatewayEndpoint endpoint;
    private final HttpApi http;
    private final RegistryStore registryStore;
    private final RegistryGatewayCredentials credentials;
    private final StateStores stateStores;
    private final WorkerExecutor stateWorker;
    private final long credentialsTimer;
    private final DesiredConfigs desiredConfigs;
    private final Rosters rosters;
    private final long desiredConfigTimer;
    // rounds of re-reading the desired configurations whose changes (if any) have been sent
    private final java.util.concurrent.atomic.AtomicLong desiredConfigRounds = new java.util.concurrent.atomic.AtomicLong();
    private final FleetMonitor fleetMonitor;
    private final long fleetTimer;
    /** Replicas on PostgreSQL: writes this hub's contacts for the others; -1 for one hub on SQLite. */
    private final long fleetShareTimer;
    private final long escalationTimer;
    private final WebhookDispatcher webhooks;
    /** Live events to and from the other replicas on the same PostgreSQL; null on SQLite (one hub). */
    private final PostgresLiveRelay liveRelay;
    private final HubRules hubRules;
    private final long hubRulesTimer;
    /** Null while {@code edfi.baseUrl} is empty. */
    private final EdfiDispatcher edfi;
    private final AttendanceRecorder attendance;
    private final LiveEvents live;
    private volatile String endpointDeployment;
    private volatile String httpDeployment;
    private Future<Void> closing;

    private Hub(Vertx vertx, HubConfig config, ReadingStore store, StateStores state, FleetRestore.Restored fleetBefore,
                Clock clock) {
        this.vertx = vertx;
        this.config = config;
        EdfiMapping edfiMapping = new EdfiMapping(config.edfi());
        // the console's live updates: new values, alarm steps and gateway changes as they are stored
        this.live = new LiveEvents();
        AlarmStore alarms = new LiveAlarmStore(state.alarms(), live);
        // attendance events (batches, the API) are forwarded and counted in one transaction of the state
        // database; their counts, never a learner, go to the time series (docs/storage.md)
        this.attendance = new AttendanceRecorder(state.attendanceLedger(edfiMapping::covers, this::wakeForwarders),
                store::writeAttendance);
        // alarm transitions and attendance decisions in batches are applied before the batch is acknowledged
        this.store = new AlarmApplyingStore(new AttendanceApplyingStore(new LiveReadingStore(store, live), attendance, clock),
                alarms);
        this.stateStores = state;
        this.registryStore = state.registry();
        this.credentials = state.credentials();
        // fleet events also make the hub's own alarms (silent gateways and sensors)
        FleetEventLog fleet = new LiveFleetEventLog(new AlarmingFleetEventLog(state.fleetEvents(), alarms), live);
        String name = UUID.randomUUID().toString();
        this.readWorker = vertx.createSharedWorkerExecutor("hub-read-" + name, config.http().readThreads());
        this.ingest = new IngestWorkers(
                vertx.createSharedWorkerExecutor("hub-decode-" + name, config.mqtt().decodeThreads()),
                vertx.createSharedWorkerExecutor("hub-store-" + name, config.mqtt().storeThreads()));
        this.stateWorker = vertx.createSharedWorkerExecutor("hub-state-" + name, STATE_THREADS);
        this.fleet = fleet;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        HubMetrics metrics = new HubMetrics(registry);
        this.liveRelay = state.liveRelay(name, EventStreamRoutes::data, live, registry).orElse(null);
        this.store.bindMetrics(registry);
        this.webhooks = new WebhookDispatcher(state.webhooks(),
                new RetrySchedule(5_000, 3_600_000, config.alarms().webhookRetryHours() * 3_600_000L),
                Duration.ofSeconds(config.alarms().webhookTimeoutSeconds()), 128, 32, clock, registry);
        this.edfi = !config.edfi().enabled() ? null : new EdfiDispatcher(state.edfi(), config.edfi(),
                new RetrySchedule(5_000, 3_600_000, config.edfi().retryHours() * 3_600_000L),
                Duration.ofSeconds(config.edfi().timeoutSeconds()), clock, registry);
        // replicas on one PostgreSQL judge liveness together (README, "Fleet liveness and /health")
        SharedLiveness sharedLiveness = state.sharedLiveness(name).orElse(null);
        this.fleetMonitor = new FleetMonitor(config.fleet(), fleet, clock, registry, sharedLiveness);
        fleetMonitor.restore(fleetBefore);
        // the hub's own rules: outbox backlog, data completeness, authentication failures, school security
        this.hubRules = new HubRules(config.alarms().hubRules(), alarms, fleetMonitor::expectedIntervalMillis,
                fleetMonitor::gateways, clock, registry);
        hubRules.restore();
        this.endpoint = new GatewayEndpoint(config.mqtt(), config.gateways(), this.store, ingest, fleet, metrics,
                new BatchCodec(), clock, credentials, GatewayActivityTee.of(fleetMonitor, hubRules), hubRules);
        // rules.roomKinds from the registry in each gateway's desired configuration, sent again when a kind changes
        // and each school's attendance section from its roster (README, "Roster and timetable"); card keys rotated when due
        this.rosters = new Rosters(state.rosters(), config.roster(), clock, new java.security.SecureRandom());
        this.desiredConfigs = new DesiredConfigs(registryStore, clock, () -> {
            java.util.Map<String, DesiredConfigs.Attendance> out = new java.util.HashMap<>();
            rosters.attendance().forEach((school, a) -> out.put(school, new DesiredConfigs.Attendance(a.section(), a.lessonHours())));
            return out;
        });
        endpoint.desiredConfigs(desiredConfigs);
        this.desiredConfigTimer = vertx.setPeriodic(DESIRED_CONFIG_REFRESH_MS, id -> refreshDesiredConfigs(true));
        java.util.Map<String, Runnable> healthParts = new java.util.LinkedHashMap<>(this.store.healthParts());
        healthParts.put("stateDatabase", registryStore::ping);
        RegisteredPlaces registered = new RegisteredPlaces(registryStore);
        Authenticator authenticator = new Authenticator(vertx, state.accounts(), stateWorker, config.registry().apiToken(),
                clock, config.auth().sessionHours());
        List<RouteGroup> routes = List.of(
                // first: every /api/v1 route behind it is scoped (README, "Users, roles and scoped access")
                new AccessCheck(authenticator, java.util.Map.of("alarm", id -> alarms.alarm(id).map(a -> a.school())),
                        stateWorker, state.audit(), clock, registry),
                new AuthRoutes(authenticator, state.accounts(), stateWorker, clock, LoginThrottle.standard(clock::millis), registry),
                new AuditRoutes(state.audit(), stateWorker),
                new ConsoleRoutes(),
                new EventStreamRoutes(live, registry, LIVE_QUEUED_EVENTS, LIVE_HEARTBEAT_MS, LIVE_LIFETIME_MS),
                new HealthRoutes(healthParts, readWorker),
                new FleetRoutes(fleet, fleetMonitor, readWorker, metrics, clock),
                new MetricsRoutes(registry, readWorker),
                new OpenApiRoutes(),
                new ReadingsRoutes(this.store, readWorker, metrics, clock, config.gateways(), registered),
                new SchoolsRoutes(this.store, readWorker, config.gateways(), registered, clock),
                new SchoolStatusRoutes(this.store, readWorker, metrics, config.gateways(), registered, clock),
                new AlarmRoutes(alarms, stateWorker, clock),
                new WebhookRoutes(state.webhooks(), stateWorker, clock, webhooks::wake),
                new AttendanceRoutes(attendance, state.edfi(), stateWorker, clock, this::wakeEdfi),
                new AttendanceQueryRoutes(attendance.ledger(), stateWorker, this.store, config.gateways(), registered),
                new RegistryRoutes(registryStore, stateWorker, credentials,
                        config.gateways().stream().map(g -> g.id()).collect(java.util.stream.Collectors.toSet())),
                new RosterRoutes(rosters, registryStore, stateWorker, () -> refreshDesiredConfigs(false)),
                new ReportRoutes(monthlyReports(config, state, fleet, registered, clock), readWorker, registry, clock));
        this.http = new HttpApi(config.http(), routes);
        this.credentialsTimer = vertx.setPeriodic(CREDENTIALS_REFRESH_MS, id -> stateWorker.executeBlocking(() -> {
            credentials.replaceAll(registryStore.credentials());
            return null;
        }, false).onFailure(e -> LOG.warn("cannot re-read the gateways' credentials from the state database: {}", e.toString())));
        // the check itself is memory only; the worker keeps its lock off the event loop
        this.fleetTimer = vertx.setPeriodic(config.fleet().checkSeconds() * 1000L,
                id -> stateWorker.executeBlocking(fleetMonitor::check, false));
        this.fleetShareTimer = sharedLiveness == null ? -1 : vertx.setPeriodic(fleetSharePeriodMillis(config),
                id -> stateWorker.executeBlocking(fleetMonitor::share, false));
        long escalateAfter = config.alarms().escalateAfterMinutes() * 60_000L;
        this.escalationTimer = vertx.setPeriodic(ESCALATION_CHECK_MS, id -> stateWorker.executeBlocking(
                () -> alarms.escalateDue(clock.millis(), escalateAfter), false)
                .onFailure(e -> LOG.warn("cannot check alarms for escalation: {}", e.toString())));
        this.hubRulesTimer = vertx.setPeriodic(config.alarms().hubRules().checkSeconds() * 1000L,
                id -> stateWorker.executeBlocking(hubRules::check, false)
                        .onFailure(e -> LOG.warn("cannot check the hub's alarm rules: {}", e.toString())));
        webhooks.start(config.alarms().webhookPollMillis());
        if (liveRelay != null) {
            liveRelay.start();
        }
        if (edfi != null) {
            edfi.start(config.edfi().pollMillis());
        }
    }

    /**
     * The monthly reports (README, "Monthly reports"): each school's rules as its gateways get them, so compliance
     * is judged by the limits and lesson hours the school runs.
     */
    private MonthlyReports monthlyReports(HubConfig config, StateStores state, FleetEventLog fleet, RegisteredPlaces registered,
                                          Clock clock) {
        return MonthlyReports.of(this.store, attendance.ledger(), state.alarms(), fleet,
                new ReportSchoolsOfHub(this.store, config.gateways(), registered, registryStore),
                new DesiredRulesSource(desiredConfigs, config.gateways()), clock, config.fleet(),
                school -> state.rosters().roster(school).map(r -> r.timetable().term()),
                MonthlyReports.districtParallelism(config.http().readThreads(), config.store().kind()));
    }

    /** After attendance events were queued; null checks: the ledger exists before the dispatchers. */
    private void wakeForwarders() {
        if (webhooks != null) {
            webhooks.wake();
        }
        wakeEdfi();
    }

    /** Re-reads room kinds and rosters (rotating due card keys first when asked) and sends what changed. */
    private void refreshDesiredConfigs(boolean rotateKeys) {
        stateWorker.executeBlocking(() -> {
                    if (rotateKeys) {
                        rosters.rotateDueKeys();
                    }
                    return desiredConfigs.refresh();
                }, false)
                .onSuccess(changed -> {
                    endpoint.republishDesiredConfig(changed);
                    desiredConfigRounds.incrementAndGet();
                })
                .onFailure(e -> LOG.warn("cannot re-read the rooms' kinds and rosters from the state database: {}", e.toString()));
    }

    /** How many times the desired configurations were re-read and what changed sent (for tests that wait for a round). */
    public long desiredConfigRounds() {
        return desiredConfigRounds.get();
    }

    /** Every few seconds, never slower than the check, so that replicas see each other's contacts in time. */
    static long fleetSharePeriodMillis(HubConfig config) {
        return Math.min(FLEET_SHARE_MS, config.fleet().checkSeconds() * 1000L);
    }

    private void wakeEdfi() {
        if (edfi != null) {
            edfi.wake();
        }
    }

    /**
     * Opens the state database ({@code config.state()}: registry, batch ids, gateway status, fleet events) and
     * the time series {@code config.store()} names (SQLite or InfluxDB), and starts the hub on them.
     */
    public static Future<Hub> start(Vertx vertx, HubConfig config) {
        Clock clock = Clock.systemUTC();
        return vertx.<Opened>executeBlocking(() -> {
            StateStores state = openState(config, clock);
            try {
                HubStore store = HubStore.open(config.store(), state.hubState());
                return new Opened(store, state, restoreFleet(state, config, clock));
            } catch (RuntimeException e) {
                state.close();
                throw e;
            }
        }, false).compose(opened -> start(vertx, config, opened, clock));
    }

    /**
     * Starts the hub on a store the caller opened (tests wrap one to inject failures). The hub owns the
     * store from now on and closes it in {@link #close()}, also when starting fails. Opens the state
     * database and loads the inventory first ({@link StateStores}).
     */
    public static Future<Hub> start(Vertx vertx, HubConfig config, ReadingStore store) {
        return start(vertx, config, store, Clock.systemUTC());
    }

    /** As {@link #start(Vertx, HubConfig, ReadingStore)}, on a clock the caller moves (tests of fleet liveness). */
    public static Future<Hub> start(Vertx vertx, HubConfig config, ReadingStore store, Clock clock) {
        return vertx.<Opened>executeBlocking(() -> {
                    StateStores state = openState(config, clock);
                    try {
                        return new Opened(store, state, restoreFleet(state, config, clock));
                    } catch (RuntimeException e) {
                        state.close();
                        throw e;
                    }
                }, false)
                .recover(e -> {
                    store.close();
                    return Future.failedFuture(e);
                })
                .compose(opened -> start(vertx, config, opened, clock));
    }

    private static StateStores openState(HubConfig config, Clock clock) {
        Path storeFile = Path.of(config.store().path());
        StateStores state = StateStores.open(config.state().resolve(storeFile), config.registry(), storeFile, clock);
        try {
            AccountsBootstrap.run(state.accounts(), config.auth().bootstrapAdmin(), config.auth().bootstrapPassword(), clock, System.out);
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
        return state;
    }

    private static FleetRestore.Restored restoreFleet(StateStores state, HubConfig config, Clock clock) {
        long now = clock.millis();
        FleetRestore.Restored restored = FleetRestore.of(state.hubState().gatewayStatuses(), state.fleetEvents(), now);
        return state.sharedLiveness("restore").map(shared -> restored.heldElsewhere(shared.gateways(), now,
                config.fleet().gatewaySilentSeconds() * 1000L)).orElse(restored);
    }

    private static Future<Hub> start(Vertx vertx, HubConfig config, Opened opened, Clock clock) {
        Hub hub;
        try {
            hub = new Hub(vertx, config, opened.store(), opened.state(), opened.fleet(), clock);
        } catch (RuntimeException e) {
            opened.store().close();
            opened.state().close();
            return Future.failedFuture(e);
        }
        return hub.deploy();
    }

    /** What {@link #start} opens before the hub exists; the fleet as the state database remembers it. */
    private record Opened(ReadingStore store, StateStores state, FleetRestore.Restored fleet) {
    }

    private Future<Hub> deploy() {
        // the first gateway to subscribe gets its school's room kinds already
        return stateWorker.executeBlocking(() -> {
                    rosters.rotateDueKeys();
                    return desiredConfigs.refresh();
                }, false)
                .compose(schools -> vertx.deployVerticle(endpoint))
                .compose(id -> {
                    endpointDeployment = id;
                    return vertx.deployVerticle(http);
                })
                .map(id -> {
                    httpDeployment = id;
                    LOG.info("hub up: MQTT endpoint port {}, HTTP port {}, store {}, {} gateways configured, {} registered",
                            mqttPort(), httpPort(), config.store().describe(), config.gateways().size(), credentials.size());
                    return this;
                })
                .recover(e -> close().transform(ignored -> Future.<Hub>failedFuture(e)));
    }

    /** The port gateways connect to (the one picked when the configured port is 0). */
    public int mqttPort() {
        return endpoint.actualPort();
    }

    /** The port of the HTTP API and page (the one picked when the configured port is 0). */
    public int httpPort() {
        return http.actualPort();
    }

    /** The routes the HTTP server answers, e.g. {@code "GET /health"}. */
    public List<String> httpRoutes() {
        return http.servedRoutes();
    }

    /** Users and API tokens (blocking: call it off the event loop); the demo and tests make theirs here. */
    public Accounts accounts() {
        return stateStores.accounts();
    }

    public HubConfig config() {
        return config;
    }

    /** What the console's live event streams are fed from; tests publish their own here. */
    public LiveEvents liveEvents() {
        return live;
    }

    /** The fleet events this hub recorded (blocking: call it off the event loop). */
    public FleetEventLog fleetEvents() {
        return fleet;
    }

    /** Gateway and sensor liveness: {@link FleetMonitor#check()} runs every {@code fleet.checkSeconds}. */
    public FleetMonitor fleetMonitor() {
        return fleetMonitor;
    }

    /** The hub's own alarm rules: {@link HubRules#check()} runs every {@code alarms.hubRules.checkSeconds}. */
    public HubRules hubRules() {
        return hubRules;
    }

    /**
     * Where attendance events are handed in to be forwarded: webhooks ({@code attendance.recorded}) and,
     * for the schools {@code edfi.schools} lists, Ed-Fi; counted per class and session in the same transaction,
     * the counts then written to the time series. An event id is taken once. Blocking: call it off the event loop.
     */
    public AttendanceSink attendance() {
        return attendance;
    }

    /** The schools' rosters, excuses and card keys (blocking: call it off the event loop). */
    public Rosters rosters() {
        return rosters;
    }

    /** Stops taking connections and requests, then closes the store. Calling it again returns the same Future. */
    public synchronized Future<Void> close() {
        if (closing == null) {
            closing = undeploy(httpDeployment)
                    .transform(ignored -> undeploy(endpointDeployment))
                    .transform(ignored -> {
                        vertx.cancelTimer(credentialsTimer);
                        vertx.cancelTimer(desiredConfigTimer);
                        vertx.cancelTimer(fleetTimer);
                        if (fleetShareTimer >= 0) {
                            vertx.cancelTimer(fleetShareTimer);
                        }
                        vertx.cancelTimer(escalationTimer);
                        vertx.cancelTimer(hubRulesTimer);
                        webhooks.close();
                        if (edfi != null) {
                            edfi.close();
                        }
                        return readWorker.close();
                    })
                    .transform(ignored -> ingest.decode().close())
                    .transform(ignored -> ingest.store().close())
                    .transform(ignored -> stateWorker.close())
                    .transform(ignored -> vertx.<Void>executeBlocking(() -> {
                        store.close();
                        // the endpoint's last closes are queued: record them before the state database closes;
                        // replicas: the last contacts heard here too
                        fleetMonitor.share();
                        fleetMonitor.close();
                        hubRules.close();
                        if (liveRelay != null) {
                            liveRelay.close();
                        }
                        stateStores.close();
                        registry.close();
                        return null;
                    }, false))
                    .onSuccess(v -> LOG.info("hub stopped"));
        }
        return closing;
    }

    private Future<Void> undeploy(String deployment) {
        return deployment == null || !vertx.deploymentIDs().contains(deployment)
                ? Future.succeededFuture() : vertx.undeploy(deployment);
    }
}

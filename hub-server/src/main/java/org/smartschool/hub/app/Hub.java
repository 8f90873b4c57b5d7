package org.smartschool.hub.app;

import java.nio.file.Path;
import java.time.Clock;
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
import org.smartschool.hub.api.HealthRoutes;
import org.smartschool.hub.api.HttpApi;
import org.smartschool.hub.api.MetricsRoutes;
import org.smartschool.hub.api.OpenApiRoutes;
import org.smartschool.hub.api.PageRoutes;
import org.smartschool.hub.api.ReadingsRoutes;
import org.smartschool.hub.api.RegistryRoutes;
import org.smartschool.hub.api.RouteGroup;
import org.smartschool.hub.api.SchoolStatusRoutes;
import org.smartschool.hub.api.SchoolsRoutes;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.endpoint.GatewayEndpoint;
import org.smartschool.hub.endpoint.IngestWorkers;
import org.smartschool.hub.api.FleetRoutes;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetMonitor;
import org.smartschool.hub.fleet.SqliteFleetEventLog;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.registry.RegistryGatewayCredentials;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.state.RegistryBootstrap;
import org.smartschool.hub.store.ReadingStore;

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
    /** How often the gateways' credentials are re-read, for those another replica registered. */
    private static final long CREDENTIALS_REFRESH_MS = 30_000;

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
    private final WorkerExecutor stateWorker;
    private final long credentialsTimer;
    private final FleetMonitor fleetMonitor;
    private final long fleetTimer;
    private volatile String endpointDeployment;
    private volatile String httpDeployment;
    private Future<Void> closing;

    private Hub(Vertx vertx, HubConfig config, ReadingStore store, RegistryBootstrap.Opened state, FleetEventLog fleet,
                Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.registryStore = state.store();
        this.credentials = state.credentials();
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
        store.bindMetrics(registry);
        this.fleetMonitor = new FleetMonitor(config.fleet(), fleet, clock, registry);
        this.endpoint = new GatewayEndpoint(config.mqtt(), config.gateways(), store, ingest, fleet, metrics,
                new BatchCodec(), clock, credentials, fleetMonitor);
        java.util.Map<String, Runnable> healthParts = new java.util.LinkedHashMap<>(store.healthParts());
        healthParts.put("stateDatabase", registryStore::ping);
        List<RouteGroup> routes = List.of(
                new PageRoutes(),
                new HealthRoutes(healthParts, readWorker),
                new FleetRoutes(fleet, fleetMonitor, readWorker, metrics, clock),
                new MetricsRoutes(registry),
                new OpenApiRoutes(),
                new ReadingsRoutes(store, readWorker, metrics, clock, config.gateways()),
                new SchoolsRoutes(store, readWorker, config.gateways(), clock),
                new SchoolStatusRoutes(store, readWorker, metrics, config.gateways(), clock),
                new RegistryRoutes(registryStore, stateWorker, credentials,
                        config.gateways().stream().map(g -> g.id()).collect(java.util.stream.Collectors.toSet()),
                        config.registry().apiToken()));
        this.http = new HttpApi(config.http(), routes);
        this.credentialsTimer = vertx.setPeriodic(CREDENTIALS_REFRESH_MS, id -> stateWorker.executeBlocking(() -> {
            credentials.replaceAll(registryStore.credentials());
            return null;
        }, false).onFailure(e -> LOG.warn("cannot re-read the gateways' credentials from the state database: {}", e.toString())));
        // the check itself is memory only; the worker keeps its lock off the event loop
        this.fleetTimer = vertx.setPeriodic(config.fleet().checkSeconds() * 1000L,
                id -> stateWorker.executeBlocking(fleetMonitor::check, false));
    }

    /** Opens the store {@code config.store()} names (SQLite or InfluxDB) and starts the hub on it. */
    public static Future<Hub> start(Vertx vertx, HubConfig config) {
        return vertx.<ReadingStore>executeBlocking(() -> HubStore.open(config.store(), Clock.systemUTC()), false)
                .compose(store -> start(vertx, config, store));
    }

    /**
     * Starts the hub on a store the caller opened (tests wrap one to inject failures). The hub owns the
     * store from now on and closes it in {@link #close()}, also when starting fails. Opens the state
     * database and loads the inventory first ({@link RegistryBootstrap}).
     */
    public static Future<Hub> start(Vertx vertx, HubConfig config, ReadingStore store) {
        return start(vertx, config, store, Clock.systemUTC());
    }

    /** As {@link #start(Vertx, HubConfig, ReadingStore)}, on a clock the caller moves (tests of fleet liveness). */
    public static Future<Hub> start(Vertx vertx, HubConfig config, ReadingStore store, Clock clock) {
        // fleet events live in the hub's data directory, next to the store file
        Path fleetFile = Path.of(config.store().path()).toAbsolutePath().resolveSibling(SqliteFleetEventLog.FILE_NAME);
        return vertx.<RegistryBootstrap.Opened>executeBlocking(() -> RegistryBootstrap.open(
                        config.state().resolve(Path.of(config.store().path())), config.registry()), false)
                .recover(e -> {
                    store.close();
                    return Future.failedFuture(e);
                })
                .compose(state -> vertx.<FleetEventLog>executeBlocking(() -> SqliteFleetEventLog.open(fleetFile), false)
                        .onFailure(e -> {
                            store.close();
                            state.store().close();
                        })
                        .map(fleet -> new Databases(state, fleet)))
                .compose(databases -> {
                    RegistryBootstrap.Opened state = databases.state();
                    FleetEventLog fleet = databases.fleet();
                    Hub hub;
                    try {
                        hub = new Hub(vertx, config, store, state, fleet, clock);
                    } catch (RuntimeException e) {
                        store.close();
                        state.store().close();
                        fleet.close();
                        return Future.failedFuture(e);
                    }
                    return hub.deploy();
                });
    }

    /** What {@link #start} opens beside the store before the hub exists. */
    private record Databases(RegistryBootstrap.Opened state, FleetEventLog fleet) {
    }

    private Future<Hub> deploy() {
        return vertx.deployVerticle(endpoint)
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

    public HubConfig config() {
        return config;
    }

    /** The fleet events this hub recorded (blocking: call it off the event loop). */
    public FleetEventLog fleetEvents() {
        return fleet;
    }

    /** Gateway and sensor liveness: {@link FleetMonitor#check()} runs every {@code fleet.checkSeconds}. */
    public FleetMonitor fleetMonitor() {
        return fleetMonitor;
    }

    /** Stops taking connections and requests, then closes the store. Calling it again returns the same Future. */
    public synchronized Future<Void> close() {
        if (closing == null) {
            closing = undeploy(httpDeployment)
                    .transform(ignored -> undeploy(endpointDeployment))
                    .transform(ignored -> {
                        vertx.cancelTimer(credentialsTimer);
                        vertx.cancelTimer(fleetTimer);
                        return readWorker.close();
                    })
                    .transform(ignored -> ingest.decode().close())
                    .transform(ignored -> ingest.store().close())
                    .transform(ignored -> stateWorker.close())
                    .transform(ignored -> vertx.<Void>executeBlocking(() -> {
                        store.close();
                        registryStore.close();
                        // the endpoint's last closes are queued: record them before the log closes
                        fleetMonitor.close();
                        fleet.close();
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

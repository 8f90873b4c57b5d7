package org.smartschool.hub.app;

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
import org.smartschool.hub.api.RouteGroup;
import org.smartschool.hub.api.SchoolsRoutes;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.endpoint.GatewayEndpoint;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.HubStore;
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
    /** SQLite has one writer; a few threads let reads run beside a write. */
    /**
     * Store calls block on I/O (an InfluxDB request, an SQLite commit): with InfluxDB the batches that wait
     * at one moment are written in one request (group commit), so more waiting threads make larger, fewer
     * writes (ingest benchmark, README "Performance"); at most this many batches are being stored at once.
     */
    private static final int STORE_THREADS = 32;

    private final Vertx vertx;
    private final HubConfig config;
    private final ReadingStore store;
    private final WorkerExecutor worker;
    private final PrometheusMeterRegistry registry;
    private final GatewayEndpoint endpoint;
    private final HttpApi http;
    private volatile String endpointDeployment;
    private volatile String httpDeployment;
    private Future<Void> closing;

    private Hub(Vertx vertx, HubConfig config, ReadingStore store, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.worker = vertx.createSharedWorkerExecutor("hub-store-" + UUID.randomUUID(), STORE_THREADS);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        HubMetrics metrics = new HubMetrics(registry);
        store.bindMetrics(registry);
        this.endpoint = new GatewayEndpoint(config.mqtt(), config.gateways(), store, worker, metrics, new BatchCodec(), clock);
        List<RouteGroup> routes = List.of(
                new PageRoutes(),
                new HealthRoutes(store, worker),
                new MetricsRoutes(registry),
                new OpenApiRoutes(),
                new ReadingsRoutes(store, worker, metrics, clock),
                new SchoolsRoutes(store, worker, config.gateways(), clock));
        this.http = new HttpApi(config.http(), routes);
    }

    /** Opens the store {@code config.store()} names (SQLite or InfluxDB) and starts the hub on it. */
    public static Future<Hub> start(Vertx vertx, HubConfig config) {
        return vertx.<ReadingStore>executeBlocking(() -> HubStore.open(config.store(), Clock.systemUTC()), false)
                .compose(store -> start(vertx, config, store));
    }

    /**
     * Starts the hub on a store the caller opened (tests wrap one to inject failures). The hub owns the
     * store from now on and closes it in {@link #close()}, also when starting fails.
     */
    public static Future<Hub> start(Vertx vertx, HubConfig config, ReadingStore store) {
        Hub hub;
        try {
            hub = new Hub(vertx, config, store, Clock.systemUTC());
        } catch (RuntimeException e) {
            store.close();
            return Future.failedFuture(e);
        }
        return hub.deploy();
    }

    private Future<Hub> deploy() {
        return vertx.deployVerticle(endpoint)
                .compose(id -> {
                    endpointDeployment = id;
                    return vertx.deployVerticle(http);
                })
                .map(id -> {
                    httpDeployment = id;
                    LOG.info("hub up: MQTT endpoint port {}, HTTP port {}, store {}, {} gateways configured",
                            mqttPort(), httpPort(), config.store().describe(), config.gateways().size());
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

    /** Stops taking connections and requests, then closes the store. Calling it again returns the same Future. */
    public synchronized Future<Void> close() {
        if (closing == null) {
            closing = undeploy(httpDeployment)
                    .transform(ignored -> undeploy(endpointDeployment))
                    .transform(ignored -> worker.close())
                    .transform(ignored -> vertx.<Void>executeBlocking(() -> {
                        store.close();
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

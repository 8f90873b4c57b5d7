package org.smartschool.hub.api;

import java.util.concurrent.TimeUnit;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.store.ReadingStore;

/** {@code GET /health}: 200 {"status":"UP"} when the store answers within 2 s, 503 otherwise. */
public final class HealthRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

    private final ReadingStore store;
    private final WorkerExecutor worker;

    public HealthRoutes(ReadingStore store, WorkerExecutor worker) {
        this.store = store;
        this.worker = worker;
    }

    @Override
    public void mount(Router router) {
        router.get("/health").handler(this::health);
    }

    private void health(RoutingContext rc) {
        worker.executeBlocking(() -> {
            store.ping();
            return null;
        }, false).timeout(2, TimeUnit.SECONDS).onComplete(result -> {
            if (result.succeeded()) {
                Responses.json(rc, 200, new JsonObject().put("status", "UP"));
            } else {
                LOG.warn("health check: the store does not answer: {}", result.cause().toString());
                Responses.json(rc, 503, new JsonObject().put("status", "DOWN").put("store", "not answering"));
            }
        });
    }
}

package org.smartschool.hub.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.hub.store.ReadingStore;

/**
 * {@code GET /health}, for load balancers: 200 {@code {"status":"UP"}} when every part (the time-series store, the
 * hub state, the state database) answers within 2 s; 503 {@code {"status":"DOWN","down":[...]}} naming the parts
 * that do not otherwise. The parts are checked at once, each on the read pool.
 */
public final class HealthRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
    private static final long TIMEOUT_MS = 2_000;

    private final Map<String, Runnable> parts;
    private final WorkerExecutor worker;

    /** Only the store's parts. */
    public HealthRoutes(ReadingStore store, WorkerExecutor worker) {
        this(store.healthParts(), worker);
    }

    /** @param parts by name, each throwing when its part does not answer */
    public HealthRoutes(Map<String, Runnable> parts, WorkerExecutor worker) {
        this.parts = new LinkedHashMap<>(parts);
        this.worker = worker;
    }

    @Override
    public void mount(Router router) {
        router.get("/health").handler(this::health);
    }

    private void health(RoutingContext rc) {
        List<String> names = new ArrayList<>(parts.keySet());
        List<Future<Void>> checks = new ArrayList<>();
        for (String name : names) {
            Runnable ping = parts.get(name);
            checks.add(worker.<Void>executeBlocking(() -> {
                ping.run();
                return null;
            }, false).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        Future.join(checks).onComplete(ignored -> {
            JsonObject status = new JsonObject();
            JsonArray down = new JsonArray();
            for (int i = 0; i < names.size(); i++) {
                Future<Void> check = checks.get(i);
                if (check.succeeded()) {
                    status.put(names.get(i), "UP");
                } else {
                    down.add(names.get(i));
                    String why = SafeText.clean(String.valueOf(check.cause().getMessage()), 300);
                    status.put(names.get(i), "DOWN: " + why);
                    LOG.warn("health check: {} does not answer: {}", names.get(i), why);
                }
            }
            JsonObject body = new JsonObject().put("status", down.isEmpty() ? "UP" : "DOWN").put("parts", status);
            if (!down.isEmpty()) {
                body.put("down", down);
            }
            Responses.json(rc, down.isEmpty() ? 200 : 503, body);
        });
    }
}

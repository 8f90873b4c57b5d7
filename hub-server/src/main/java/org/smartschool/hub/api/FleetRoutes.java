package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Instant;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventQuery;
import org.smartschool.hub.fleet.FleetMonitor;
import org.smartschool.hub.fleet.GatewayLiveness;
import org.smartschool.hub.fleet.HealthSummary;
import org.smartschool.hub.metrics.HubMetrics;

/**
 * {@code GET /api/v1/fleet/events} (the fleet event log, newest first) and {@code GET /api/v1/fleet/gateways}
 * (each gateway's liveness now).
 */
public final class FleetRoutes implements RouteGroup {
    private final FleetEventLog log;
    private final FleetMonitor monitor;
    private final WorkerExecutor worker;
    private final HubMetrics metrics;
    private final Clock clock;

    public FleetRoutes(FleetEventLog log, FleetMonitor monitor, WorkerExecutor worker, HubMetrics metrics, Clock clock) {
        this.log = log;
        this.monitor = monitor;
        this.worker = worker;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/fleet/events").handler(this::events);
        router.get("/api/v1/fleet/gateways").handler(this::gateways);
    }

    private void events(RoutingContext rc) {
        FleetEventQuery query;
        try {
            query = FleetEventsRequest.parse(rc.queryParams()::get, clock);
        } catch (BadParameterException e) {
            metrics.httpBadRequest();
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        worker.executeBlocking(() -> log.query(query), false)
                .onSuccess(events -> {
                    JsonArray out = new JsonArray();
                    events.forEach(e -> out.add(json(e)));
                    Responses.json(rc, 200, new JsonObject().put("events", out));
                })
                .onFailure(rc::fail);
    }

    private void gateways(RoutingContext rc) {
        String only = rc.queryParams().get("school");
        JsonArray out = new JsonArray();
        for (GatewayLiveness g : monitor.gateways()) {
            if (only != null && !only.isEmpty() && !only.equals(g.school())) {
                continue;
            }
            JsonObject gateway = new JsonObject()
                    .put("gateway", g.gateway())
                    .put("school", g.school())
                    .put("online", g.online())
                    .put("lastSeen", iso(g.lastSeen()))
                    .put("silentSince", g.silentSince() == null ? null : iso(g.silentSince()))
                    .put("health", g.health() == null ? null : json(g.health()));
            out.add(gateway);
        }
        Responses.json(rc, 200, new JsonObject().put("time", iso(clock.millis())).put("gateways", out));
    }

    private static JsonObject json(FleetEvent e) {
        return new JsonObject()
                .put("time", iso(e.time()))
                .put("timestamp", e.time())
                .put("type", e.type().label())
                .put("school", e.school())
                .put("gateway", e.gateway())
                .put("cause", e.cause())
                .put("room", e.room())
                .put("device", e.device())
                .put("detail", e.detail());
    }

    private static JsonObject json(HealthSummary h) {
        return new JsonObject()
                .put("receivedAt", iso(h.receivedAt()))
                .put("reportTime", h.reportTime() == null ? null : iso(h.reportTime()))
                .put("uptimeSeconds", h.uptimeSeconds())
                .put("outboxRecords", h.outboxRecords())
                .put("outboxOldest", h.outboxOldestMillis() == null ? null : iso(h.outboxOldestMillis()));
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}

package org.smartschool.hub.api;

import java.time.Instant;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.smartschool.hub.auth.AuditEntry;
import org.smartschool.hub.auth.AuditLog;

/**
 * {@code GET /api/v1/audit}: who changed what, newest first; {@code school=} for one school's entries (a school
 * operator always gets its own: {@link AccessCheck}), {@code before=ID} for the next page, {@code limit}.
 */
public final class AuditRoutes implements RouteGroup {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final AuditLog log;
    private final WorkerExecutor worker;

    public AuditRoutes(AuditLog log, WorkerExecutor worker) {
        this.log = log;
        this.worker = worker;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/audit").handler(this::entries);
    }

    private void entries(RoutingContext rc) {
        String school = rc.queryParams().get("school");
        String beforeText = rc.queryParams().get("before");
        int limit;
        Long before = null;
        try {
            limit = QueryParameters.limit(rc.queryParams().get("limit"), DEFAULT_LIMIT, MAX_LIMIT);
            if (beforeText != null && !beforeText.isEmpty()) {
                before = Long.parseLong(beforeText);
            }
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        } catch (NumberFormatException e) {
            Responses.error(rc, 400, "before must be an entry's id", "before");
            return;
        }
        Long page = before;
        worker.executeBlocking(() -> log.entries(school == null || school.isEmpty() ? null : school, page, limit), false)
                .onSuccess(entries -> {
                    JsonArray out = new JsonArray();
                    entries.forEach(e -> out.add(json(e)));
                    Responses.json(rc, 200, new JsonObject().put("entries", out));
                })
                .onFailure(rc::fail);
    }

    private static JsonObject json(AuditEntry e) {
        return new JsonObject().put("id", e.id()).put("at", Instant.ofEpochMilli(e.at()).toString()).put("actor", e.actor())
                .put("role", e.role()).put("school", e.school()).put("action", e.action()).put("target", e.target())
                .put("status", e.status());
    }
}

package org.smartschool.hub.api;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.alarm.Acknowledgement;
import org.smartschool.hub.alarm.AlarmConflictException;
import org.smartschool.hub.alarm.AlarmHistoryEntry;
import org.smartschool.hub.alarm.AlarmQuery;
import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.alarm.AlarmStatus;
import org.smartschool.hub.alarm.AlarmStore;

/**
 * The alarm API: {@code GET /api/v1/alarms} with filters, {@code GET /api/v1/alarms/{id}} with its
 * history, {@code POST /api/v1/alarms/{id}/ack} with {@code {"by", "note"}}. Database calls run on
 * {@code worker}; who may read and acknowledge is {@link AccessCheck}'s to decide.
 */
public final class AlarmRoutes implements RouteGroup {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int MAX_BODY_BYTES = 8 * 1024;

    private final AlarmStore store;
    private final WorkerExecutor worker;
    private final java.time.Clock clock;

    public AlarmRoutes(AlarmStore store, WorkerExecutor worker, java.time.Clock clock) {
        this.store = store;
        this.worker = worker;
        this.clock = clock;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/alarms").handler(this::list);
        router.get("/api/v1/alarms/:id").handler(this::one);
        router.post("/api/v1/alarms/:id/ack").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::acknowledge);
    }

    private void list(RoutingContext rc) {
        AlarmQuery query;
        try {
            query = query(rc);
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        run(rc, () -> store.alarms(query), alarms -> {
            JsonArray out = new JsonArray();
            alarms.forEach(a -> out.add(alarm(a)));
            Responses.json(rc, 200, new JsonObject().put("alarms", out));
        });
    }

    private static AlarmQuery query(RoutingContext rc) {
        String school = rc.queryParams().get("school");
        String state = rc.queryParams().get("state");
        String severity = rc.queryParams().get("severity");
        AlarmStatus status = null;
        if (state != null && !state.isEmpty()) {
            status = List.of(AlarmStatus.values()).stream().filter(s -> s.id().equals(state)).findFirst()
                    .orElseThrow(() -> new BadParameterException("state", "state must be active, acknowledged or cleared"));
        }
        Severity level = null;
        if (severity != null && !severity.isEmpty()) {
            level = Severity.byId(severity).orElseThrow(() -> new BadParameterException("severity",
                    "severity must be warning, minor, major or critical"));
        }
        Optional<Instant> from = QueryParameters.instant("from", rc.queryParams().get("from"));
        Optional<Instant> to = QueryParameters.instant("to", rc.queryParams().get("to"));
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new BadParameterException("to", "to must be after from");
        }
        int limit = QueryParameters.limit(rc.queryParams().get("limit"), DEFAULT_LIMIT, MAX_LIMIT);
        return new AlarmQuery(school == null || school.isEmpty() ? null : school, status, level,
                from.map(Instant::toEpochMilli).orElse(null), to.map(Instant::toEpochMilli).orElse(null), limit);
    }

    private record WithHistory(AlarmRecord alarm, List<AlarmHistoryEntry> history) {
    }

    private void one(RoutingContext rc) {
        String id = rc.pathParam("id");
        run(rc, () -> store.alarm(id).map(a -> new WithHistory(a, store.history(id))), found -> {
            if (found.isEmpty()) {
                Responses.error(rc, 404, "no alarm '" + id + "'", null);
                return;
            }
            JsonArray entries = new JsonArray();
            found.get().history().forEach(h -> entries.add(entry(h)));
            Responses.json(rc, 200, alarm(found.get().alarm()).put("history", entries));
        });
    }

    private void acknowledge(RoutingContext rc) {
        String id = rc.pathParam("id");
        Acknowledgement ack;
        try {
            JsonObject body = rc.body().asJsonObject();
            if (body == null) {
                Responses.error(rc, 400, "the body must be JSON: {\"by\": \"...\", \"note\": \"...\"}", null);
                return;
            }
            Object by = body.getValue("by");
            Object note = body.getValue("note");
            if (!(by instanceof String) || (note != null && !(note instanceof String))) {
                Responses.error(rc, 400, "'by' must be a string (who acknowledges) and 'note' a string or absent", "by");
                return;
            }
            ack = new Acknowledgement((String) by, (String) note, clock.millis());
        } catch (DecodeException e) {
            Responses.error(rc, 400, "the body is not JSON: {\"by\": \"...\", \"note\": \"...\"}", null);
            return;
        } catch (IllegalArgumentException e) {
            Responses.error(rc, 400, e.getMessage(), "by");
            return;
        }
        run(rc, () -> store.acknowledge(id, ack), step -> Responses.json(rc, 200, alarm(step.alarm())));
    }

    private <T> void run(RoutingContext rc, Callable<T> blocking, Consumer<T> answer) {
        worker.executeBlocking(blocking, false).onComplete(result -> {
            if (result.succeeded()) {
                answer.accept(result.result());
            } else if (result.cause() instanceof NoSuchElementException e) {
                Responses.error(rc, 404, e.getMessage(), null);
            } else if (result.cause() instanceof AlarmConflictException e) {
                Responses.error(rc, 409, e.getMessage(), null);
            } else {
                rc.fail(result.cause());
            }
        });
    }

    static JsonObject alarm(AlarmRecord a) {
        JsonObject out = new JsonObject()
                .put("id", a.id())
                .put("school", a.school())
                .put("room", a.room())
                .put("device", a.device())
                .put("rule", a.rule())
                .put("severity", a.severity().id())
                .put("state", a.status().id())
                .put("raisedAt", Instant.ofEpochMilli(a.raisedAt()).toString())
                .put("detail", a.detail());
        if (!Double.isNaN(a.value())) {
            out.put("value", a.value());
        }
        if (a.clearedAt() != null) {
            out.put("clearedAt", Instant.ofEpochMilli(a.clearedAt()).toString());
        }
        if (a.acknowledgement() != null) {
            out.put("acknowledged", new JsonObject().put("by", a.acknowledgement().by())
                    .put("note", a.acknowledgement().note())
                    .put("at", Instant.ofEpochMilli(a.acknowledgement().at()).toString()));
        }
        if (a.escalatedAt() != null) {
            out.put("escalatedAt", Instant.ofEpochMilli(a.escalatedAt()).toString());
        }
        return out;
    }

    private static JsonObject entry(AlarmHistoryEntry h) {
        JsonObject out = new JsonObject().put("at", Instant.ofEpochMilli(h.at()).toString()).put("what", h.what())
                .put("severity", h.severity().id()).put("detail", h.detail());
        if (!h.by().isEmpty()) {
            out.put("by", h.by()).put("note", h.note());
        }
        return out;
    }
}

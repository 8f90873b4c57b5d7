package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.attendance.AttendanceSink;
import org.smartschool.hub.forward.AttendanceEvents;
import org.smartschool.hub.forward.edfi.EdfiDelivery;
import org.smartschool.hub.forward.edfi.EdfiStore;

/**
 * Attendance events handed in for forwarding ({@code POST /api/v1/attendance/events}: a producer outside
 * the hub, a teacher's correction) and the Ed-Fi connector's dead letters under {@code /api/v1/edfi}.
 * All need write access: they carry learners' ids (personal data).
 */
public final class AttendanceRoutes implements RouteGroup {
    private static final int MAX_BODY_BYTES = 4 * 1024;

    private final AttendanceSink sink;
    private final WorkerExecutor worker;
    private final DeadLetterRoutes<EdfiDelivery> deadLetters;

    /** @param wakeEdfi called after a redelivery, so sending starts at once */
    public AttendanceRoutes(AttendanceSink sink, EdfiStore edfi, WorkerExecutor worker, Clock clock,
                            Runnable wakeEdfi) {
        this.sink = sink;
        this.worker = worker;
        this.deadLetters = new DeadLetterRoutes<>(edfi::deadLetters, edfi::redeliver, AttendanceRoutes::deadLetter, worker,
                clock, wakeEdfi, "Ed-Fi dead letter");
    }

    @Override
    public void mount(Router router) {
        router.post("/api/v1/attendance/events").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::accept);
        router.get("/api/v1/edfi/dead-letters").handler(deadLetters::list);
        router.post("/api/v1/edfi/dead-letters/:seq/redeliver").handler(deadLetters::redeliver);
    }

    private void accept(RoutingContext rc) {
        AttendanceEvent event;
        try {
            JsonObject body = rc.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("the body must be a JSON attendance event (docs/webhooks.md, attendance.recorded)");
            }
            event = AttendanceEvents.parse(new JsonObject().put("data", body).encode());
        } catch (DecodeException | ClassCastException e) {
            Responses.error(rc, 400, "the body must be a JSON attendance event (docs/webhooks.md, attendance.recorded)", null);
            return;
        } catch (IllegalArgumentException e) {
            Responses.error(rc, 400, e.getMessage(), null); // the messages never quote a learner's id
            return;
        }
        run(rc, () -> {
            sink.accept(event);
            return event;
        }, e -> Responses.json(rc, 202, new JsonObject().put("eventId", e.eventId()).put("state", "queued")));
    }

    private static JsonObject deadLetter(EdfiDelivery d) {
        // the event's id, not its learner: the operator looks the event up where it came from
        return new JsonObject().put("seq", d.seq()).put("eventId", d.eventId()).put("school", d.school())
                .put("attempts", d.attempts()).put("lastStatus", d.lastStatus()).put("lastError", d.lastError())
                .put("createdAt", Instant.ofEpochMilli(d.createdAt()).toString());
    }

    private <T> void run(RoutingContext rc, Callable<T> blocking, Consumer<T> answer) {
        worker.executeBlocking(blocking, false).onComplete(result -> {
            if (result.succeeded()) {
                answer.accept(result.result());
            } else {
                rc.fail(result.cause());
            }
        });
    }
}

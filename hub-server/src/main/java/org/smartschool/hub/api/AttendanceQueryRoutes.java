package org.smartschool.hub.api;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.attendance.AttendanceDeadLetter;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.attendance.AttendanceLedger;
import org.smartschool.hub.attendance.DailyAttendance;
import org.smartschool.hub.auth.Principal;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.store.ReadingStore;

/**
 * Attendance as the hub recorded it (the ledger in the state database):
 * <ul>
 *   <li>{@code GET /api/v1/attendance?school=S&date=YYYY-MM-DD}: per class and session (and period) the counts
 *       of each category; with write access also {@code records}, the newest decision of every learner;</li>
 *   <li>{@code POST /api/v1/attendance/history?school=S} with {@code {"learnerId", "from", "to"}}: one learner's
 *       decisions; the learner's id in the body, never in a URL that access logs keep (write access);</li>
 *   <li>{@code GET /api/v1/attendance/rates?from=&to=[&school=]}: per school and day, the counts over all classes
 *       and the rate of present or late;</li>
 *   <li>{@code GET /api/v1/attendance/dead-letters?school=S}: attendance events of batches that could not be
 *       read, without their attributes (write access).</li>
 * </ul>
 * Per-learner answers are personal data: they need a credential of the school itself (its viewers and operators)
 * or the admin's; district roles get the counts (the central check, {@code AccessCheck}, has already refused a
 * caller without access to the school named in {@code school=}). Unknown school: 404; a bad parameter: 400 naming it.
 */
public final class AttendanceQueryRoutes implements RouteGroup {
    /** A year and a day: a school year's history or rates in one answer. */
    static final int MAX_DAYS = 366;
    private static final int MAX_BODY_BYTES = 4 * 1024;
    private static final int DEAD_LETTERS = 100;

    private final AttendanceLedger ledger;
    private final WorkerExecutor worker;
    private final KnownPlaces known;

    public AttendanceQueryRoutes(AttendanceLedger ledger, WorkerExecutor worker, ReadingStore store,
                                 List<GatewayConfig> gateways, RegisteredPlaces registered) {
        this.ledger = ledger;
        this.worker = worker;
        this.known = new KnownPlaces(store, gateways, registered);
    }

    @Override
    public void mount(Router router) {
        router.get("/api/v1/attendance").handler(this::day);
        router.post("/api/v1/attendance/history").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::history);
        router.get("/api/v1/attendance/rates").handler(this::rates);
        router.get("/api/v1/attendance/dead-letters").handler(this::deadLetters);
    }

    private void day(RoutingContext rc) {
        String school;
        LocalDate date;
        try {
            school = school(rc.request().getParam("school"));
            date = date("date", rc.request().getParam("date"));
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        boolean withRecords = seesLearners(rc, school);
        run(rc, () -> {
            List<AttendanceCounts> counts = ledger.counts(school, date);
            if (counts.isEmpty() && !knows(school)) {
                return null;
            }
            return new Day(counts, withRecords ? ledger.records(school, date) : null);
        }, found -> {
            if (found == null) {
                Responses.error(rc, 404, "unknown school '" + school + "'", "school");
                return;
            }
            JsonArray classes = new JsonArray();
            found.counts().forEach(c -> classes.add(counts(c)));
            JsonObject body = new JsonObject().put("school", school).put("date", date.toString()).put("classes", classes);
            if (found.records() != null) {
                JsonArray records = new JsonArray();
                found.records().forEach(r -> records.add(record(r)));
                body.put("records", records);
            } else {
                body.put("recordsWithheld", "per-learner records need a credential of school '" + school
                        + "' (its viewers and operators) or the admin's");
            }
            Responses.json(rc, 200, body);
        });
    }

    private void history(RoutingContext rc) {
        String school;
        String learner;
        LocalDate from;
        LocalDate to;
        try {
            JsonObject body;
            try {
                body = rc.body().asJsonObject();
            } catch (DecodeException | ClassCastException e) {
                throw new BadParameterException("body", "the body must be JSON: {\"learnerId\", \"from\", \"to\"}");
            }
            if (body == null) {
                throw new BadParameterException("body", "the body must be JSON: {\"learnerId\", \"from\", \"to\"}");
            }
            school = school(rc.request().getParam("school"));
            String named = text(body, "school");
            if (named != null && !named.equals(school)) {
                throw new BadParameterException("school", "the body names another school than the query");
            }
            learner = text(body, "learnerId");
            if (learner == null || !learner.matches("[0-9]{12}")) {
                // the value itself is personal data: never in the message
                throw new BadParameterException("learnerId", "learnerId: the 12-digit national personal ID");
            }
            to = Optional.ofNullable(text(body, "to")).map(t -> date("to", t)).orElse(LocalDate.now(java.time.ZoneOffset.UTC));
            from = Optional.ofNullable(text(body, "from")).map(f -> date("from", f)).orElse(to.minusDays(MAX_DAYS - 1));
            window(from, to);
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        if (!seesLearners(rc, school)) {
            Responses.error(rc, 403, "a learner's history needs a credential of school '" + school
                    + "' (its viewers and operators) or the admin's", null);
            return;
        }
        run(rc, () -> {
            List<AttendanceEvent> records = ledger.history(school, learner, from, to);
            return records.isEmpty() && !knows(school) ? null : records;
        }, records -> {
            if (records == null) {
                Responses.error(rc, 404, "unknown school '" + school + "'", "school");
                return;
            }
            JsonArray out = new JsonArray();
            records.forEach(r -> out.add(record(r)));
            Responses.json(rc, 200, new JsonObject().put("school", school).put("learnerId", learner)
                    .put("from", from.toString()).put("to", to.toString()).put("records", out));
        });
    }

    private void rates(RoutingContext rc) {
        LocalDate from;
        LocalDate to;
        String school;
        try {
            from = date("from", rc.request().getParam("from"));
            to = date("to", rc.request().getParam("to"));
            window(from, to);
            String s = rc.request().getParam("school");
            school = s == null || s.isEmpty() ? null : school(s);
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        run(rc, () -> {
            List<DailyAttendance> days = ledger.daily(from, to).stream()
                    .filter(d -> school == null || d.school().equals(school)).toList();
            return school != null && days.isEmpty() && !knows(school) ? null : days;
        }, days -> {
            if (days == null) {
                Responses.error(rc, 404, "unknown school '" + school + "'", "school");
                return;
            }
            JsonArray out = new JsonArray();
            for (DailyAttendance d : days) {
                out.add(new JsonObject().put("school", d.school()).put("date", d.date().toString())
                        .put(AttendanceCategory.PRESENT.id(), d.present()).put(AttendanceCategory.LATE.id(), d.late())
                        .put(AttendanceCategory.EXCUSED_ABSENCE.id(), d.excusedAbsence())
                        .put(AttendanceCategory.UNEXCUSED_ABSENCE.id(), d.unexcusedAbsence())
                        .put("total", d.total()).put("rate", Math.round(d.rate() * 10_000) / 10_000.0));
            }
            Responses.json(rc, 200, new JsonObject().put("from", from.toString()).put("to", to.toString()).put("days", out));
        });
    }

    private void deadLetters(RoutingContext rc) {
        String school;
        try {
            school = school(rc.request().getParam("school"));
        } catch (BadParameterException e) {
            Responses.error(rc, 400, e.getMessage(), e.parameter());
            return;
        }
        run(rc, () -> ledger.deadLetters(school, DEAD_LETTERS), letters -> {
            JsonArray out = new JsonArray();
            for (AttendanceDeadLetter l : letters) {
                // not the attributes: they may hold a learner's id
                out.add(new JsonObject().put("id", l.id()).put("gateway", l.gateway()).put("batchId", l.batchId())
                        .put("eventId", l.eventId()).put("reason", l.reason())
                        .put("receivedAt", java.time.Instant.ofEpochMilli(l.receivedAt()).toString()));
            }
            Responses.json(rc, 200, new JsonObject().put("school", school).put("deadLetters", out));
        });
    }

    /** Blocking: a store query when the ledger has nothing of the school. */
    private boolean knows(String school) {
        return ledger.hasSchool(school) || known.school(school);
    }

    private static JsonObject counts(AttendanceCounts c) {
        JsonObject out = new JsonObject().put("class", c.classId()).put("session", c.session());
        if (c.period() != null) {
            out.put("period", c.period());
        }
        return out.put(AttendanceCategory.PRESENT.id(), c.present()).put(AttendanceCategory.LATE.id(), c.late())
                .put(AttendanceCategory.EXCUSED_ABSENCE.id(), c.excusedAbsence())
                .put(AttendanceCategory.UNEXCUSED_ABSENCE.id(), c.unexcusedAbsence()).put("total", c.total());
    }

    private static JsonObject record(AttendanceEvent r) {
        JsonObject out = new JsonObject().put("eventId", r.eventId()).put("learnerId", r.learnerId()).put("class", r.classId())
                .put("date", r.date().toString()).put("session", r.session());
        if (r.period() != null) {
            out.put("period", r.period());
        }
        return out.put("category", r.category().id()).put("at", java.time.Instant.ofEpochMilli(r.at()).toString());
    }

    private static String school(String value) {
        if (value == null || value.isEmpty()) {
            throw new BadParameterException("school", "school is required");
        }
        if (!Ids.isValid(value)) {
            throw new BadParameterException("school", "school is not an id");
        }
        return value;
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadParameterException(name, name + " is required (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name, name + " must be a date YYYY-MM-DD");
        }
    }

    private static void window(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new BadParameterException("to", "to must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new BadParameterException("to", "at most " + MAX_DAYS + " days from from to to");
        }
    }

    private static String text(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new BadParameterException(field, field + " must be a string");
        }
        return (String) value;
    }

    private record Day(List<AttendanceCounts> counts, List<AttendanceEvent> records) {
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

    /** Per-learner data: a principal of the school itself, or the admin. */
    private static boolean seesLearners(RoutingContext rc, String school) {
        Principal who = AccessCheck.principal(rc);
        return who != null && (who.role() == Role.ADMIN || school.equals(who.school()));
    }
}

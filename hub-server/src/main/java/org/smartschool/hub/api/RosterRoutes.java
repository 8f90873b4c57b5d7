package org.smartschool.hub.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.registry.RegistryNotFoundException;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.roster.Card;
import org.smartschool.hub.roster.CardKey;
import org.smartschool.hub.roster.ClassLevel;
import org.smartschool.hub.roster.Excuse;
import org.smartschool.hub.roster.Learner;
import org.smartschool.hub.roster.Roster;
import org.smartschool.hub.roster.RosterFiles;
import org.smartschool.hub.roster.RosterImportException;
import org.smartschool.hub.roster.RosterProblem;
import org.smartschool.hub.roster.RosterStore;
import org.smartschool.hub.roster.Rosters;

/**
 * A school's roster and timetable (README, "Roster and timetable"; docs/roster.md): the import of a zip of
 * CSV files ({@code PUT /api/v1/schools/{school}/roster?format=csv|oneroster}, all or nothing), its summary,
 * card revocation, card key rotation, and excuses from the school management system
 * ({@code POST /api/v1/schools/{school}/attendance/excuses}). Changes need write access; after each,
 * {@code changed} re-publishes the school's desired configuration. Answers never quote a learner's id or a UID.
 */
public final class RosterRoutes implements RouteGroup {
    private static final String SCHOOL = "/api/v1/schools/:school";
    private static final int MAX_ZIP_BYTES = 16 * 1024 * 1024;
    private static final int MAX_JSON_BYTES = 4 * 1024;

    private final Rosters rosters;
    private final RegistryStore registry;
    private final WorkerExecutor worker;
    private final Runnable changed;

    /** @param changed called after every change, off the event loop's answer (re-publishes desired configurations) */
    public RosterRoutes(Rosters rosters, RegistryStore registry, WorkerExecutor worker, Runnable changed) {
        this.rosters = rosters;
        this.registry = registry;
        this.worker = worker;
        this.changed = changed;
    }

    @Override
    public void mount(Router router) {
        router.put(SCHOOL + "/roster").handler(BodyHandler.create(false).setBodyLimit(MAX_ZIP_BYTES))
                .handler(this::importRoster);
        router.get(SCHOOL + "/roster").handler(this::summary);
        router.post(SCHOOL + "/roster/cards/revoke").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES))
                .handler(this::revoke);
        router.post(SCHOOL + "/roster/card-key/rotate").handler(this::rotate);
        router.post(SCHOOL + "/attendance/excuses").handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BYTES))
                .handler(this::excuse);
    }

    private void importRoster(RoutingContext rc) {
        String school = schoolParam(rc);
        if (school == null) {
            return;
        }
        String formatParam = rc.queryParams().get("format");
        Rosters.Format format = Rosters.Format.byId(formatParam == null ? "csv" : formatParam).orElse(null);
        if (format == null) {
            Responses.error(rc, 400, "format must be csv or oneroster", "format");
            return;
        }
        Buffer body = rc.body().buffer();
        if (body == null || body.length() == 0) {
            Responses.error(rc, 400, "the body must be a zip archive of the roster's CSV files (docs/roster.md)", "body");
            return;
        }
        byte[] zip = body.getBytes();
        run(rc, () -> {
            Set<String> rooms = rooms(school);
            Map<String, byte[]> files = RosterFiles.fromZip(zip);
            Roster roster = rosters.importFiles(school, format, files, rooms);
            return summary(school, roster);
        }, summary -> {
            changed.run();
            Responses.json(rc, 200, summary);
        });
    }

    private void summary(RoutingContext rc) {
        String school = schoolParam(rc);
        if (school == null) {
            return;
        }
        run(rc, () -> {
            rooms(school);
            Roster roster = rosters.store().roster(school).orElseThrow(() -> new RegistryNotFoundException(
                    "school '" + school + "' has no roster yet: PUT one (docs/roster.md)"));
            return summary(school, roster);
        }, summary -> Responses.json(rc, 200, summary));
    }

    private JsonObject summary(String school, Roster roster) {
        RosterStore.Imported imported = rosters.store().imported(school).orElseThrow();
        long revoked = roster.cards().stream().filter(Card::revoked).count();
        JsonObject term = new JsonObject().put("name", roster.timetable().term().name())
                .put("schoolYear", roster.timetable().term().schoolYear())
                .put("from", roster.timetable().term().from().toString()).put("to", roster.timetable().term().to().toString())
                .put("days", new JsonArray(roster.timetable().term().days().stream().sorted().map(Enum::name).toList()))
                .put("noSchool", roster.timetable().term().noSchool().size());
        JsonArray sessions = new JsonArray();
        roster.timetable().sessions().forEach(s -> sessions.add(new JsonObject().put("id", s.id())
                .put("start", s.start().toString()).put("end", s.end().toString())));
        return new JsonObject().put("school", school).put("format", imported.source())
                .put("importedAt", Instant.ofEpochMilli(imported.importedAt()).toString()).put("revision", imported.revision())
                .put("learners", roster.learners().size())
                .put("cards", roster.cards().size() - revoked).put("revokedCards", revoked)
                .put("classes", roster.timetable().classes().stream().filter(c -> c.level() == ClassLevel.SESSION).count())
                .put("sections", roster.timetable().classes().stream().filter(c -> c.level() == ClassLevel.PERIOD).count())
                .put("periods", roster.timetable().periods().size())
                .put("sessions", sessions).put("term", term)
                .put("cardKey", rosters.store().cardKey(school).map(CardKey::id).orElse(null));
    }

    private void revoke(RoutingContext rc) {
        String school = schoolParam(rc);
        JsonObject body = school == null ? null : jsonBody(rc);
        if (body == null) {
            return;
        }
        String uid;
        try {
            uid = CardHash.normalise(body.getValue("uid") instanceof String s ? s : null);
        } catch (IllegalArgumentException e) {
            Responses.error(rc, 400, "uid must be the card's UID: 3-10 bytes of hex", "uid");
            return;
        }
        run(rc, () -> {
            rooms(school);
            if (!rosters.store().revokeCard(school, uid, System.currentTimeMillis())) {
                throw new RegistryNotFoundException("school '" + school + "' has no such card on its roster");
            }
            return true;
        }, ok -> {
            changed.run();
            Responses.json(rc, 200, new JsonObject().put("school", school).put("revoked", true));
        });
    }

    private void rotate(RoutingContext rc) {
        String school = schoolParam(rc);
        if (school == null) {
            return;
        }
        run(rc, () -> {
            rooms(school);
            if (rosters.store().imported(school).isEmpty()) {
                throw new RegistryNotFoundException("school '" + school + "' has no roster yet: PUT one (docs/roster.md)");
            }
            return rosters.rotateKey(school);
        }, key -> {
            changed.run();
            Responses.json(rc, 200, new JsonObject().put("school", school).put("cardKey", key.id())
                    .put("createdAt", Instant.ofEpochMilli(key.createdAt()).toString()));
        });
    }

    private void excuse(RoutingContext rc) {
        String school = schoolParam(rc);
        JsonObject body = school == null ? null : jsonBody(rc);
        if (body == null) {
            return;
        }
        for (String key : body.fieldNames()) {
            if (!Set.of("learner", "date", "session", "period").contains(key)) {
                Responses.error(rc, 400, "unknown key; expected learner, date, session, period", key);
                return;
            }
        }
        Object learner = body.getValue("learner");
        if (!(learner instanceof String id) || !Learner.isValidId(id)) {
            Responses.error(rc, 400, "learner must be the learner's 12-digit personal ID", "learner");
            return;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(body.getValue("date") instanceof String s ? s : "");
        } catch (DateTimeParseException e) {
            Responses.error(rc, 400, "date must be YYYY-MM-DD", "date");
            return;
        }
        Object session = body.getValue("session");
        if (!(session instanceof String s) || !Ids.isValid(s)) {
            Responses.error(rc, 400, "session must be a session id of the timetable (e.g. morning)", "session");
            return;
        }
        Object period = body.getValue("period");
        if (period != null && (!(period instanceof String p) || !Ids.isValid(p))) {
            Responses.error(rc, 400, "period must be a period id of the timetable, or null for the whole session", "period");
            return;
        }
        Excuse excuse = new Excuse(id, date, s, (String) period);
        run(rc, () -> {
            rooms(school);
            Roster roster = rosters.store().roster(school).orElseThrow(() -> new RegistryNotFoundException(
                    "school '" + school + "' has no roster yet: PUT one (docs/roster.md)"));
            if (roster.learners().stream().noneMatch(l -> l.id().equals(excuse.learner()))) {
                throw new BadParameterException("learner", "learner: not on the school's roster");
            }
            if (roster.timetable().sessions().stream().noneMatch(x -> x.id().equals(excuse.session()))) {
                throw new BadParameterException("session", "session: no session '" + excuse.session() + "' in the timetable");
            }
            if (excuse.period() != null && roster.timetable().periods().stream().noneMatch(p -> p.id().equals(excuse.period()))) {
                throw new BadParameterException("period", "period: no period '" + excuse.period() + "' in the timetable");
            }
            return rosters.store().addExcuse(school, excuse, System.currentTimeMillis());
        }, added -> {
            if (added) {
                changed.run();
            }
            JsonObject answer = new JsonObject().put("school", school).put("date", excuse.date().toString())
                    .put("session", excuse.session()).put("added", added);
            if (excuse.period() != null) {
                answer.put("period", excuse.period()); // absent: the whole session
            }
            Responses.json(rc, added ? 201 : 200, answer);
        });
    }

    /** The school's rooms in the registry; 404 when the registry does not know the school. */
    private Set<String> rooms(String school) {
        return registry.school(school).orElseThrow(() -> new RegistryNotFoundException("no school '" + school + "' in the registry"))
                .rooms().map(Room::id).collect(Collectors.toSet());
    }

    private static String schoolParam(RoutingContext rc) {
        String school = rc.pathParam("school");
        if (!Ids.isValid(school)) {
            Responses.error(rc, 400, "school must be an id (1-64 letters, digits, '.', '_', '-')", "school");
            return null;
        }
        return school;
    }

    private static JsonObject jsonBody(RoutingContext rc) {
        try {
            JsonObject body = rc.body().asJsonObject();
            if (body != null) {
                return body;
            }
        } catch (RuntimeException e) {
            // answered below
        }
        Responses.error(rc, 400, "the body must be a JSON object", "body");
        return null;
    }

    private <T> void run(RoutingContext rc, Callable<T> blocking, Consumer<T> answer) {
        worker.executeBlocking(blocking, false).onComplete(result -> {
            if (result.succeeded()) {
                answer.accept(result.result());
                return;
            }
            Throwable e = result.cause();
            if (e instanceof RosterImportException bad) {
                JsonArray problems = new JsonArray();
                for (RosterProblem p : bad.problems()) {
                    problems.add(new JsonObject().put("file", p.file()).put("line", p.line()).put("column", p.column())
                            .put("message", p.message()));
                }
                Responses.json(rc, 400, new JsonObject()
                        .put("error", "the roster was not imported (nothing changed): " + bad.problems().size()
                                + (bad.truncated() ? "+" : "") + " problems, first: " + bad.problems().get(0))
                        .put("problems", problems).put("truncated", bad.truncated()));
            } else if (e instanceof RegistryNotFoundException) {
                Responses.error(rc, 404, e.getMessage(), null);
            } else if (e instanceof BadParameterException bad) {
                Responses.error(rc, 400, bad.getMessage(), bad.parameter());
            } else {
                rc.fail(e);
            }
        });
    }
}

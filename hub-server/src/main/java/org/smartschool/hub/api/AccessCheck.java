package org.smartschool.hub.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.hub.auth.AccessPolicy;
import org.smartschool.hub.auth.AccessPolicy.Rule;
import org.smartschool.hub.auth.AccessPolicy.Scope;
import org.smartschool.hub.auth.AuditEntry;
import org.smartschool.hub.auth.AuditLog;
import org.smartschool.hub.auth.Principal;

/**
 * The one check in front of every {@code /api/v1} route: who asks ({@link Authenticator}), whether the role may
 * (read, operate, administer) and whether the school concerned is the caller's ({@link AccessPolicy}); then the
 * audit log entry of every change. Mount it before the other route groups; it finds which route a request
 * is for among the routes mounted after it, so a new route group is covered without an edit here.
 *
 * <p>Answers: no or a bad credential, 401 with a JSON message; a role that may not, or another school named in the
 * path or query, 403 (the caller named the school, so saying so reveals nothing); another school's object by id
 * ({@code /alarms/{id}}), 404 exactly as for an id that does not exist, so ids of other schools cannot be probed.
 */
public final class AccessCheck implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(AccessCheck.class);
    private static final String PRINCIPAL = "hub.principal";
    private static final String API = "/api/v1/";
    /** Path parameters that never go into the audit log (they could hold personal data or secrets). */
    private static final Pattern PRIVATE_PARAMETER = Pattern.compile("(?i).*(learner|card|token|password|secret).*");

    private final Authenticator authenticator;
    private final Map<String, Function<String, Optional<String>>> objectSchools;
    private final WorkerExecutor worker;
    private final AuditLog audit;
    private final Clock clock;
    /** {@code hub_http_refused_total{status}}: 401 no credential, 403 role or school, 404 another school's object. */
    private final Counter unauthenticated;
    private final Counter forbidden;
    private final Counter hidden;
    private Router router;
    private volatile List<Template> templates;

    /**
     * @param objectSchools for {@link Scope#OBJECT} routes: per object kind ("alarm"), the school of an object by id
     *                      (blocking; run on {@code worker}), empty when there is no such object
     */
    public AccessCheck(Authenticator authenticator, Map<String, Function<String, Optional<String>>> objectSchools,
                       WorkerExecutor worker, AuditLog audit, Clock clock, MeterRegistry meters) {
        this.authenticator = authenticator;
        this.unauthenticated = refused(meters, 401);
        this.forbidden = refused(meters, 403);
        this.hidden = refused(meters, 404);
        this.objectSchools = Map.copyOf(objectSchools);
        this.worker = worker;
        this.audit = audit;
        this.clock = clock;
    }

    private static Counter refused(MeterRegistry meters, int status) {
        return Counter.builder("hub.http.refused").tag("status", String.valueOf(status))
                .description("API requests refused by scoped access: 401 no valid credential, 403 role or school, 404 another school's object")
                .register(meters);
    }

    /** Who made the request; null on open routes. */
    public static Principal principal(RoutingContext rc) {
        return rc.get(PRINCIPAL);
    }

    /** Sets who makes the request, for a route group tested on a router of its own (without this check). */
    static void principal(RoutingContext rc, Principal who) {
        rc.put(PRINCIPAL, who);
    }

    /** The bearer token of the request: the Authorization header, else the session cookie; null when none. */
    static String credential(RoutingContext rc) {
        String header = rc.request().getHeader("Authorization");
        if (header != null) {
            return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        }
        Cookie cookie = rc.request().getCookie(Authenticator.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    @Override
    public void mount(Router router) {
        this.router = router;
        router.route().handler(this::check);
    }

    private void check(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!path.startsWith(API)) {
            rc.next();
            return;
        }
        String method = rc.request().method().name();
        // the router takes /api/v1/alarms/ for /api/v1/alarms
        String bare = path.length() > API.length() && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Optional<Match> found = match(method, bare);
        // a path no route template matches (the router answers 404 or 405) is still closed to strangers and school roles
        Match match = found.orElseGet(() -> new Match(method, bare, Map.of()));
        Rule rule = found.isPresent() ? AccessPolicy.rule(method, match.template())
                : new Rule(org.smartschool.hub.auth.Access.READ, Scope.DISTRICT, null, null);
        if (rule.scope() == Scope.OPEN) {
            rc.next();
            return;
        }
        // the body arrives while the credential is checked: held back for the route's BodyHandler
        rc.request().pause();
        // a refused request's body is never read: resumed at the end so the connection carries on (an HTTP/2
        // stream already read to its end refuses a resume)
        rc.addEndHandler(ended -> {
            if (!rc.request().isEnded()) {
                rc.request().resume();
            }
        });
        authenticator.authenticate(credential(rc)).onComplete(authenticated -> {
            if (authenticated.failed()) {
                unauthenticated.increment();
                rc.response().putHeader("WWW-Authenticate", "Bearer");
                Responses.error(rc, 401, "sign in first: Authorization: Bearer TOKEN (POST /api/v1/auth/login, or an API token)", null);
                return;
            }
            Principal who = authenticated.result();
            rc.put(PRINCIPAL, who);
            if (!who.role().allows(rule.access())) {
                refuse(rc, who, who.school(), match, "the role " + who.role().id() + " may not " + verb(rule) + " here");
                return;
            }
            scope(rc, who, rule, match);
        });
    }

    private void scope(RoutingContext rc, Principal who, Rule rule, Match match) {
        List<String> queried = rc.queryParams().getAll("school");
        String pathSchool = match.parameters().get("school");
        List<String> named = new ArrayList<>(queried);
        if (pathSchool != null) {
            named.add(pathSchool);
        }
        String concerned = named.isEmpty() ? null : named.get(0);
        switch (rule.scope()) {
            case SIGNED_IN -> pass(rc, who, null, match);
            case DISTRICT -> {
                if (who.role().districtWide()) {
                    pass(rc, who, concerned, match);
                } else {
                    refuse(rc, who, who.school(), match, "this is for district roles only");
                }
            }
            case NAMED_SCHOOL, LIST -> {
                if (who.role().districtWide()) {
                    pass(rc, who, concerned, match);
                    return;
                }
                String foreign = named.stream().filter(s -> !who.covers(s)).findFirst().orElse(null);
                if (foreign != null) {
                    refuse(rc, who, who.school(), match, "you may see and change school '" + who.school() + "' only");
                } else if (!named.isEmpty()) {
                    pass(rc, who, who.school(), match);
                } else if (rule.scope() == Scope.LIST) {
                    // the list is cut to the caller's school: the route reads school= as for any caller
                    rc.queryParams().set("school", who.school());
                    rc.request().params().set("school", who.school());
                    pass(rc, who, who.school(), match);
                } else {
                    refuse(rc, who, who.school(), match, "this route names no school (school= or {school}): for district roles only");
                }
            }
            case OBJECT -> object(rc, who, rule, match);
            default -> throw new IllegalStateException("scope " + rule.scope());
        }
    }

    private void object(RoutingContext rc, Principal who, Rule rule, Match match) {
        String id = match.parameters().get(rule.objectParam());
        Function<String, Optional<String>> lookup = objectSchools.get(rule.objectKind());
        boolean write = isWrite(rc);
        if (who.role().districtWide() && !write) {
            pass(rc, who, null, match);
            return;
        }
        if (lookup == null || id == null) {
            refuse(rc, who, who.school(), match, "no way to find the school of this " + rule.objectKind());
            return;
        }
        worker.executeBlocking(() -> lookup.apply(id), false).onComplete(found -> {
            if (found.failed()) {
                rc.fail(found.cause());
                return;
            }
            Optional<String> school = found.result();
            if (who.role().districtWide() || school.filter(who::covers).isPresent()) {
                pass(rc, who, school.orElse(null), match);
            } else {
                // the same answer as for an id that does not exist
                hidden.increment();
                Responses.error(rc, 404, "no " + rule.objectKind() + " '" + SafeText.clean(id, 200) + "'", null);
            }
        });
    }

    private void pass(RoutingContext rc, Principal who, String school, Match match) {
        if (isWrite(rc)) {
            rc.addBodyEndHandler(v -> record(who, school, match, rc.response().getStatusCode()));
        }
        rc.next();
        // a route's BodyHandler has taken the body by now; a route without one never reads it
        rc.request().resume();
    }

    private void refuse(RoutingContext rc, Principal who, String school, Match match, String message) {
        forbidden.increment();
        if (isWrite(rc)) {
            record(who, school, match, 403);
        }
        Responses.error(rc, 403, message, null);
    }

    private void record(Principal who, String school, Match match, int status) {
        StringBuilder target = new StringBuilder();
        match.parameters().forEach((name, value) -> {
            if (!PRIVATE_PARAMETER.matcher(name).matches()) {
                target.append(target.isEmpty() ? "" : " ").append(name).append('=').append(SafeText.clean(value, 200));
            }
        });
        AuditEntry entry = new AuditEntry(0, clock.millis(), who.name(), who.role().id(), school,
                match.method() + " " + match.template().replaceAll(":([A-Za-z0-9_]+)", "{$1}"), target.toString(), status);
        worker.executeBlocking(() -> {
            audit.record(entry);
            return null;
        }, false).onFailure(e -> LOG.warn("cannot write the audit log entry of {} by {}: {}", entry.action(), who.name(), e.toString()));
    }

    private static boolean isWrite(RoutingContext rc) {
        String method = rc.request().method().name();
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }

    private static String verb(Rule rule) {
        return switch (rule.access()) {
            case READ -> "read";
            case OPERATE -> "make changes";
            case ADMIN -> "administer users and tokens";
        };
    }

    // ---- which mounted route a request is for ----

    private record Template(Set<String> methods, String path, String[] segments) {
    }

    private record Match(String method, String template, Map<String, String> parameters) {
    }

    private Optional<Match> match(String method, String path) {
        String[] segments = path.split("/", -1);
        Match best = null;
        int bestLiterals = -1;
        for (Template t : templates()) {
            if (t.segments().length != segments.length || (!t.methods().isEmpty() && !t.methods().contains(method))) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < segments.length && matches; i++) {
                String want = t.segments()[i];
                if (want.startsWith(":")) {
                    parameters.put(want.substring(1), decode(segments[i]));
                } else if (want.equals(segments[i])) {
                    literals++;
                } else {
                    matches = false;
                }
            }
            if (matches && literals > bestLiterals) {
                best = new Match(method, t.path(), parameters);
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    private List<Template> templates() {
        List<Template> known = templates;
        if (known == null) {
            // every group is mounted by the first request
            List<Template> out = new ArrayList<>();
            for (Route route : router.getRoutes()) {
                String path = route.getPath();
                if (path != null && path.startsWith(API)) {
                    Set<String> methods = route.methods() == null ? Set.of()
                            : route.methods().stream().map(m -> m.name()).collect(java.util.stream.Collectors.toSet());
                    out.add(new Template(methods, path, path.split("/", -1)));
                }
            }
            templates = known = List.copyOf(out);
        }
        return known;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}

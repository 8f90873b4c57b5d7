package org.smartschool.hub.auth;

import java.util.List;
import java.util.Map;

/**
 * Which access each API route needs and how its school is found: the one table of scoped access.
 *
 * <p>A route not declared here needs {@link Access#READ} for GET and HEAD, {@link Access#OPERATE} otherwise, and
 * is scoped by the school it names: a {@code :school} path parameter and every {@code school=} query parameter.
 * A school role may use it only when it names a school and every school it names is the role's own; a request that
 * names none is refused to school roles. So a new route with {@code {school}} or {@code school=} is scoped without
 * an edit here, and one with neither is closed to school roles until it is declared.
 *
 * <p>Routes are written as Vert.x paths: {@code GET /api/v1/alarms/:id}.
 */
public final class AccessPolicy {
    /** How a route's school is found. */
    public enum Scope {
        /** No credential needed. */
        OPEN,
        /** Any signed-in principal; concerns no school (who am I, logout). */
        SIGNED_IN,
        /** The school named in the path ({@code :school}) or query ({@code school=}); the default. */
        NAMED_SCHOOL,
        /**
         * A list over schools that honours {@code school=}: a school role gets {@code school=} set to its own school
         * when it gives none, and is refused another.
         */
        LIST,
        /** One object (an alarm) named by a path parameter; its school is looked up. Another school's is "not found". */
        OBJECT,
        /** District-wide only (integrations, users, exports): refused to school roles. */
        DISTRICT
    }

    /**
     * @param objectKind  for {@link Scope#OBJECT}: which lookup gives the object's school ("alarm")
     * @param objectParam for {@link Scope#OBJECT}: the path parameter naming the object
     */
    public record Rule(Access access, Scope scope, String objectKind, String objectParam) {
        static Rule of(Access access, Scope scope) {
            return new Rule(access, scope, null, null);
        }
    }

    private static final Map<String, Rule> DECLARED = Map.ofEntries(
            Map.entry("GET /api/v1/openapi.yaml", Rule.of(Access.READ, Scope.OPEN)),
            Map.entry("POST /api/v1/auth/login", Rule.of(Access.READ, Scope.OPEN)),
            Map.entry("POST /api/v1/auth/logout", Rule.of(Access.READ, Scope.SIGNED_IN)),
            Map.entry("GET /api/v1/auth/me", Rule.of(Access.READ, Scope.SIGNED_IN)),
            Map.entry("GET /api/v1/schools", Rule.of(Access.READ, Scope.LIST)),
            Map.entry("GET /api/v1/registry/schools", Rule.of(Access.READ, Scope.LIST)),
            Map.entry("GET /api/v1/registry/export", Rule.of(Access.READ, Scope.DISTRICT)),
            Map.entry("GET /api/v1/fleet/events", Rule.of(Access.READ, Scope.LIST)),
            Map.entry("GET /api/v1/fleet/gateways", Rule.of(Access.READ, Scope.LIST)),
            Map.entry("GET /api/v1/alarms", Rule.of(Access.READ, Scope.LIST)),
            // the console's live updates: a school role streams its own school's events (filtered on the server)
            Map.entry("GET /api/v1/events/stream", Rule.of(Access.READ, Scope.LIST)),
            Map.entry("GET /api/v1/alarms/:id", new Rule(Access.READ, Scope.OBJECT, "alarm", "id")),
            Map.entry("POST /api/v1/alarms/:id/ack", new Rule(Access.OPERATE, Scope.OBJECT, "alarm", "id")),
            // attendance events come from machines holding a district token; the body names the school
            // Ed-Fi's answers may quote an event: operators only
            Map.entry("GET /api/v1/edfi/dead-letters", Rule.of(Access.OPERATE, Scope.DISTRICT)),
            Map.entry("POST /api/v1/attendance/events", Rule.of(Access.OPERATE, Scope.DISTRICT)),
            // a learner's history is a read (the id travels in the body, not the URL); records of the school only
            Map.entry("POST /api/v1/attendance/history", Rule.of(Access.READ, Scope.NAMED_SCHOOL)),
            // daily rates per school: a school role sees its own
            Map.entry("GET /api/v1/attendance/rates", Rule.of(Access.READ, Scope.LIST)),
            // events that could not be read: the school's operators (never learner ids in the answer)
            Map.entry("GET /api/v1/attendance/dead-letters", Rule.of(Access.OPERATE, Scope.NAMED_SCHOOL)),
            // monthly reports: a school's for those who read the school; the district roll-up for district roles and the admin
            Map.entry("GET /api/v1/reports/monthly", Rule.of(Access.READ, Scope.NAMED_SCHOOL)),
            Map.entry("GET /api/v1/reports/monthly/district", Rule.of(Access.READ, Scope.DISTRICT)),
            // the audit log: operators and the admin; a school operator sees its school's entries
            Map.entry("GET /api/v1/audit", Rule.of(Access.OPERATE, Scope.LIST)));

    /** Whole families of routes that are district-wide: the SMS integrations and user management. */
    private static final List<String> DISTRICT_PREFIXES = List.of("/api/v1/webhooks", "/api/v1/edfi/");
    private static final String ADMIN_PREFIX = "/api/v1/auth/";

    private AccessPolicy() {
    }

    /** The rule of a route; {@code method} upper case, {@code path} as mounted ({@code /api/v1/alarms/:id}). */
    public static Rule rule(String method, String path) {
        Rule declared = DECLARED.get(method + " " + path);
        if (declared != null) {
            return declared;
        }
        Access byMethod = method.equals("GET") || method.equals("HEAD") ? Access.READ : Access.OPERATE;
        if (path.startsWith(ADMIN_PREFIX)) {
            return Rule.of(Access.ADMIN, Scope.DISTRICT);
        }
        if (DISTRICT_PREFIXES.stream().anyMatch(path::startsWith)) {
            return Rule.of(byMethod, Scope.DISTRICT);
        }
        return Rule.of(byMethod, Scope.NAMED_SCHOOL);
    }

    /** The routes declared explicitly, for the README's table. */
    public static Map<String, Rule> declared() {
        return DECLARED;
    }
}

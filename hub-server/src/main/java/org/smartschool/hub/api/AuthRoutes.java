package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.smartschool.hub.auth.AccountConflictException;
import org.smartschool.hub.auth.Accounts;
import org.smartschool.hub.auth.ApiTokenInfo;
import org.smartschool.hub.auth.ApiTokens;
import org.smartschool.hub.auth.LoginThrottle;
import org.smartschool.hub.auth.Passwords;
import org.smartschool.hub.auth.Principal;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.auth.UserAccount;

/**
 * Login and the management of users and API tokens: {@code POST /api/v1/auth/login} ({@code {"user","password"}} to
 * a session token, also set as an HttpOnly cookie), {@code POST /api/v1/auth/logout}, {@code GET /api/v1/auth/me};
 * for the admin, {@code /api/v1/auth/users} and {@code /api/v1/auth/tokens}. {@link AccessCheck} decides who may
 * call which.
 */
public final class AuthRoutes implements RouteGroup {
    private static final int MAX_BODY_BYTES = 4 * 1024;
    private static final String BASE = "/api/v1/auth";

    private final Authenticator authenticator;
    private final Accounts accounts;
    private final WorkerExecutor worker;
    private final Clock clock;
    private final LoginThrottle throttle;
    private final Counter throttled;

    public AuthRoutes(Authenticator authenticator, Accounts accounts, WorkerExecutor worker, Clock clock,
                      LoginThrottle throttle, MeterRegistry meters) {
        this.authenticator = authenticator;
        this.accounts = accounts;
        this.worker = worker;
        this.clock = clock;
        this.throttle = throttle;
        this.throttled = Counter.builder("hub_auth_logins_throttled_total")
                .description("logins refused with 429: too many failed logins for the user name lately").register(meters);
    }

    @Override
    public void mount(Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post(BASE + "/login").handler(body).handler(this::login);
        router.post(BASE + "/logout").handler(this::logout);
        router.get(BASE + "/me").handler(this::me);
        router.get(BASE + "/users").handler(this::users);
        router.post(BASE + "/users").handler(body).handler(this::createUser);
        router.delete(BASE + "/users/:name").handler(this::deleteUser);
        router.post(BASE + "/users/:name/password").handler(body).handler(this::setPassword);
        router.get(BASE + "/tokens").handler(this::tokens);
        router.post(BASE + "/tokens").handler(body).handler(this::createToken);
        router.delete(BASE + "/tokens/:id").handler(this::deleteToken);
    }

    private void login(RoutingContext rc) {
        JsonObject body = json(rc);
        if (body == null) {
            return;
        }
        if (!(body.getValue("user") instanceof String user) || !(body.getValue("password") instanceof String password)) {
            Responses.error(rc, 400, "the body must be {\"user\": \"...\", \"password\": \"...\"}", "user");
            return;
        }
        // before the password check: a guesser costs no bcrypt and learns nothing more
        long wait = throttle.waitMillis(user);
        if (wait > 0) {
            throttled.increment();
            long seconds = Math.max(1, (wait + 999) / 1000);
            rc.response().putHeader("Retry-After", Long.toString(seconds));
            Responses.error(rc, 429, "too many failed logins for this user name: try again in " + seconds + " s", "user");
            return;
        }
        authenticator.login(user, password).onComplete(result -> {
            if (result.failed()) {
                throttle.failed(user);
                Responses.error(rc, 401, "wrong user name or password", null);
                return;
            }
            throttle.succeeded(user);
            Authenticator.Login login = result.result();
            long maxAge = (login.expiresAt() - clock.millis()) / 1000;
            rc.response().addCookie(Cookie.cookie(Authenticator.COOKIE, login.token()).setHttpOnly(true).setPath("/")
                    .setSameSite(CookieSameSite.STRICT).setMaxAge(maxAge));
            Responses.json(rc, 200, new JsonObject().put("token", login.token())
                    .put("expiresAt", Instant.ofEpochMilli(login.expiresAt()).toString())
                    .put("user", principal(login.principal())));
        });
    }

    private void logout(RoutingContext rc) {
        authenticator.logout(AccessCheck.credential(rc)).onComplete(ended -> {
            rc.response().addCookie(Cookie.cookie(Authenticator.COOKIE, "").setPath("/").setMaxAge(0));
            Responses.json(rc, 200, new JsonObject().put("loggedOut", ended.succeeded() && ended.result()));
        });
    }

    private void me(RoutingContext rc) {
        Responses.json(rc, 200, principal(AccessCheck.principal(rc)));
    }

    private void users(RoutingContext rc) {
        run(rc, accounts::users, users -> {
            JsonArray out = new JsonArray();
            users.forEach(u -> out.add(principal(u.principal()).put("createdAt", Instant.ofEpochMilli(u.createdAt()).toString())
                    .put("createdBy", u.createdBy())));
            Responses.json(rc, 200, new JsonObject().put("users", out));
        });
    }

    private void createUser(RoutingContext rc) {
        JsonObject body = json(rc);
        if (body == null) {
            return;
        }
        String name = body.getValue("name") instanceof String s ? s : null;
        String problem = UserAccount.nameProblem(name);
        if (problem != null) {
            Responses.error(rc, 400, problem, "name");
            return;
        }
        Grant grant = grant(rc, body);
        if (grant == null) {
            return;
        }
        String given = body.getValue("password") instanceof String s ? s : null;
        if (given != null && Passwords.problem(given) != null) {
            Responses.error(rc, 400, Passwords.problem(given), "password");
            return;
        }
        String password = given == null ? Passwords.generate() : given;
        String by = AccessCheck.principal(rc).name();
        run(rc, () -> {
            accounts.createUser(new UserAccount(name, Passwords.hash(password), grant.role(), grant.school(), clock.millis(), by));
            return null;
        }, ignored -> {
            JsonObject out = principal(new Principal(name, grant.role(), grant.school()));
            if (given == null) {
                out.put("password", password).put("note", "the generated password is shown only now");
            }
            Responses.json(rc, 201, out);
        });
    }

    private void deleteUser(RoutingContext rc) {
        String name = rc.pathParam("name");
        run(rc, () -> accounts.deleteUser(name), deleted -> {
            if (deleted) {
                rc.response().setStatusCode(204).end();
            } else {
                Responses.error(rc, 404, "no user '" + org.smartschool.bridge.text.SafeText.clean(name, 100) + "'", null);
            }
        });
    }

    private void setPassword(RoutingContext rc) {
        JsonObject body = json(rc);
        if (body == null) {
            return;
        }
        String password = body.getValue("password") instanceof String s ? s : null;
        if (Passwords.problem(password) != null) {
            Responses.error(rc, 400, Passwords.problem(password), "password");
            return;
        }
        String name = rc.pathParam("name");
        run(rc, () -> accounts.setPassword(name, Passwords.hash(password)), changed -> {
            if (changed) {
                Responses.json(rc, 200, new JsonObject().put("name", name).put("sessionsEnded", true));
            } else {
                Responses.error(rc, 404, "no user '" + org.smartschool.bridge.text.SafeText.clean(name, 100) + "'", null);
            }
        });
    }

    private void tokens(RoutingContext rc) {
        run(rc, accounts::tokens, tokens -> {
            JsonArray out = new JsonArray();
            tokens.forEach(t -> out.add(token(t)));
            Responses.json(rc, 200, new JsonObject().put("tokens", out));
        });
    }

    private void createToken(RoutingContext rc) {
        JsonObject body = json(rc);
        if (body == null) {
            return;
        }
        String label = body.getValue("label") instanceof String s ? s.strip() : "";
        if (label.isEmpty() || label.length() > 200) {
            Responses.error(rc, 400, "label (what the token is for) must be 1-200 characters", "label");
            return;
        }
        Grant grant = grant(rc, body);
        if (grant == null) {
            return;
        }
        Long expiresAt = null;
        if (body.getValue("expiresInDays") != null) {
            if (!(body.getValue("expiresInDays") instanceof Number days) || days.intValue() < 1 || days.intValue() > 3650) {
                Responses.error(rc, 400, "expiresInDays must be 1-3650 (absent: no expiry)", "expiresInDays");
                return;
            }
            expiresAt = clock.millis() + days.longValue() * 86_400_000L;
        }
        ApiTokens.Issued issued = ApiTokens.issue();
        ApiTokenInfo info = new ApiTokenInfo(issued.id(), label, grant.role(), grant.school(), clock.millis(),
                AccessCheck.principal(rc).name(), expiresAt);
        run(rc, () -> {
            accounts.createToken(info, issued.secretHash());
            return null;
        }, ignored -> Responses.json(rc, 201, token(info).put("token", issued.token())
                .put("note", "the token is shown only now; it is stored as a hash")));
    }

    private void deleteToken(RoutingContext rc) {
        String id = rc.pathParam("id");
        run(rc, () -> accounts.deleteToken(id), deleted -> {
            if (deleted) {
                rc.response().setStatusCode(204).end();
            } else {
                Responses.error(rc, 404, "no token '" + org.smartschool.bridge.text.SafeText.clean(id, 100) + "'", null);
            }
        });
    }

    private record Grant(Role role, String school) {
    }

    /** The role and school of a body; null after answering 400. */
    private static Grant grant(RoutingContext rc, JsonObject body) {
        Role role = body.getValue("role") instanceof String s ? Role.byId(s).orElse(null) : null;
        if (role == null) {
            Responses.error(rc, 400, "role must be one of " + Role.ids(), "role");
            return null;
        }
        Object school = body.getValue("school");
        if (role.districtWide() != (school == null)) {
            Responses.error(rc, 400, role.districtWide() ? "role " + role.id() + " covers every school: no school"
                    : "role " + role.id() + " needs a school", "school");
            return null;
        }
        if (school != null && !(school instanceof String id && org.smartschool.bridge.model.Ids.isValid(id))) {
            Responses.error(rc, 400, "school must be a school id", "school");
            return null;
        }
        return new Grant(role, (String) school);
    }

    private static JsonObject json(RoutingContext rc) {
        try {
            JsonObject body = rc.body().asJsonObject();
            if (body == null) {
                Responses.error(rc, 400, "the body must be a JSON object", null);
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            Responses.error(rc, 400, "the body is not a JSON object", null);
            return null;
        }
    }

    static JsonObject principal(Principal p) {
        return new JsonObject().put("name", p.name()).put("role", p.role().id()).put("school", p.school());
    }

    private static JsonObject token(ApiTokenInfo t) {
        return new JsonObject().put("id", t.id()).put("label", t.label()).put("role", t.role().id()).put("school", t.school())
                .put("createdAt", Instant.ofEpochMilli(t.createdAt()).toString()).put("createdBy", t.createdBy())
                .put("expiresAt", t.expiresAt() == null ? null : Instant.ofEpochMilli(t.expiresAt()).toString());
    }

    private <T> void run(RoutingContext rc, Callable<T> blocking, Consumer<T> answer) {
        worker.executeBlocking(blocking, false).onComplete(result -> {
            if (result.succeeded()) {
                answer.accept(result.result());
            } else if (result.cause() instanceof AccountConflictException e) {
                Responses.error(rc, 409, e.getMessage(), "name");
            } else {
                rc.fail(result.cause());
            }
        });
    }
}

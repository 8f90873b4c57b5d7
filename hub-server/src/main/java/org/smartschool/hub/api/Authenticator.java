package org.smartschool.hub.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.smartschool.hub.auth.Accounts;
import org.smartschool.hub.auth.ApiTokens;
import org.smartschool.hub.auth.Passwords;
import org.smartschool.hub.auth.Principal;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.auth.UserAccount;

/**
 * Who presents a credential: an API token ({@code sst_...}), a session token (a JWT from {@link #login}, signed
 * HS256 with the key kept in the state database, and whose session must still be open), or the configured
 * {@code registry.apiToken} (an admin, for compatibility). Database work runs on {@code worker}.
 */
public final class Authenticator {
    /** The cookie {@code login} sets as well, for pages. */
    public static final String COOKIE = "hub_session";
    /** The principal that presents {@code registry.apiToken}. */
    public static final Principal CONFIG_TOKEN = new Principal("registry.apiToken", Role.ADMIN, null);
    private static final String ISSUER = "smart-school-hub";

    /** A successful login. */
    public record Login(String token, long expiresAt, Principal principal) {
        @Override
        public String toString() {
            return "Login[" + principal + "]";
        }
    }

    private final Vertx vertx;
    private final Accounts accounts;
    private final WorkerExecutor worker;
    private final byte[] configToken;
    private final Clock clock;
    private final int sessionHours;
    /** Bcrypt of a random password: unknown users cost as much as known ones, so timing does not tell them apart. */
    private volatile String decoyHash;
    private Future<JWTAuth> jwt;

    /** @param configToken {@code registry.apiToken}; empty for none */
    public Authenticator(Vertx vertx, Accounts accounts, WorkerExecutor worker, String configToken, Clock clock, int sessionHours) {
        this.vertx = vertx;
        this.accounts = accounts;
        this.worker = worker;
        this.configToken = configToken.isEmpty() ? null : sha256(configToken);
        this.clock = clock;
        this.sessionHours = sessionHours;
    }

    /** The principal of a bearer token; a failed Future (any reason) means "not authenticated". */
    public Future<Principal> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Future.failedFuture("no credential");
        }
        if (configToken != null && MessageDigest.isEqual(configToken, sha256(token))) {
            return Future.succeededFuture(CONFIG_TOKEN);
        }
        if (token.startsWith(ApiTokens.PREFIX)) {
            Optional<ApiTokens.Presented> presented = ApiTokens.parse(token);
            if (presented.isEmpty()) {
                return Future.failedFuture("malformed API token");
            }
            return worker.executeBlocking(() -> accounts.tokenPrincipal(presented.get(), clock.millis()), false)
                    .compose(p -> p.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture("unknown API token")));
        }
        return jwt().compose(auth -> auth.authenticate(new TokenCredentials(token)))
                .compose(user -> {
                    String session = user.principal().getString("jti");
                    if (session == null) {
                        return Future.failedFuture("session token without jti");
                    }
                    return worker.executeBlocking(() -> accounts.session(session, clock.millis()), false);
                })
                .compose(p -> p.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture("session ended")));
    }

    /** Checks the password (bcrypt, on the worker) and opens a session; a failed Future for a wrong name or password. */
    public Future<Login> login(String name, String password) {
        return jwt().compose(auth -> worker.executeBlocking(() -> {
            Optional<UserAccount> user = accounts.user(name);
            boolean ok = Passwords.matches(user.map(UserAccount::passwordHash).orElseGet(this::decoyHash), password);
            if (!ok || user.isEmpty()) {
                return null;
            }
            String session = UUID.randomUUID().toString();
            long now = clock.millis();
            long expiresAt = now + sessionHours * 3_600_000L;
            accounts.openSession(session, name, now, expiresAt);
            String token = auth.generateToken(new JsonObject().put("sub", name).put("jti", session),
                    new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setExpiresInSeconds(sessionHours * 3600));
            return new Login(token, expiresAt, user.get().principal());
        }, false)).compose(login -> login == null ? Future.failedFuture("wrong user name or password") : Future.succeededFuture(login));
    }

    /** Ends the session of a session token; true when one was open. API tokens are not sessions (false). */
    public Future<Boolean> logout(String token) {
        if (token == null || token.startsWith(ApiTokens.PREFIX)) {
            return Future.succeededFuture(false);
        }
        return jwt().compose(auth -> auth.authenticate(new TokenCredentials(token)))
                .compose(user -> worker.executeBlocking(() -> accounts.closeSession(user.principal().getString("jti"), clock.millis()), false))
                .recover(e -> Future.succeededFuture(false));
    }

    private String decoyHash() {
        if (decoyHash == null) {
            decoyHash = Passwords.hash(Passwords.generate());
        }
        return decoyHash;
    }

    private synchronized Future<JWTAuth> jwt() {
        if (jwt == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            jwt = worker.executeBlocking(() -> accounts.signingKey(Base64.getUrlEncoder().withoutPadding().encodeToString(fresh)), false)
                    .map(key -> JWTAuth.create(vertx, new JWTAuthOptions()
                            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(key))
                            .setJWTOptions(new JWTOptions().setIssuer(ISSUER))))
                    .onFailure(e -> {
                        synchronized (this) {
                            jwt = null; // try again with the next request
                        }
                    });
        }
        return jwt;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

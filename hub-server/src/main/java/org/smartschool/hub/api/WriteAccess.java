package org.smartschool.hub.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.vertx.ext.web.RoutingContext;

/**
 * Who may change things through the API until users and roles exist (issue 10): holders of the API
 * token when one is configured, otherwise clients on this machine only.
 */
final class WriteAccess {
    private final byte[] tokenDigest;
    private final String what;

    /**
     * @param apiToken empty: changes only from loopback clients
     * @param what what is being changed, for the refusal ("registry changes")
     */
    WriteAccess(String apiToken, String what) {
        this.tokenDigest = apiToken.isEmpty() ? null : sha256(apiToken);
        this.what = what;
    }

    /**
     * Whether the caller has write access, without answering: for answers that only show more to such a caller
     * (an attendance day's per-learner records).
     */
    boolean allows(RoutingContext rc) {
        if (tokenDigest != null) {
            String header = rc.request().getHeader("Authorization");
            String token = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
            return MessageDigest.isEqual(tokenDigest, sha256(token));
        }
        return isLoopback(rc);
    }

    /** A route handler: passes the request on, or answers 401/403. */
    void check(RoutingContext rc) {
        if (tokenDigest != null) {
            String header = rc.request().getHeader("Authorization");
            String token = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
            if (!MessageDigest.isEqual(tokenDigest, sha256(token))) {
                rc.response().putHeader("WWW-Authenticate", "Bearer");
                Responses.error(rc, 401, what + " need Authorization: Bearer <registry.apiToken>", null);
                return;
            }
        } else if (!isLoopback(rc)) {
            Responses.error(rc, 403, what + " are taken from this machine only unless registry.apiToken is set", null);
            return;
        }
        rc.next();
    }

    private static boolean isLoopback(RoutingContext rc) {
        try {
            return rc.request().remoteAddress() != null
                    && InetAddress.getByName(rc.request().remoteAddress().hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

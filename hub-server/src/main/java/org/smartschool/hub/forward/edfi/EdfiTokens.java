package org.smartschool.hub.forward.edfi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * OAuth2 client-credentials tokens for the Ed-Fi API: POST {@code grant_type=client_credentials} to the
 * token URL with HTTP Basic auth of key:secret. A token is reused until {@link #EARLY} before it
 * expires; a 401 from the API makes the caller {@link #invalidate} it, and the next {@link #token}
 * fetches a new one, once for all the threads that saw the same 401.
 */
public final class EdfiTokens {
    /** Renewed this long before the expiry Ed-Fi gave, so that no request leaves with a token about to lapse. */
    static final long EARLY = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI tokenUrl;
    private final String basic;
    private final Duration timeout;
    private final Clock clock;
    private String token;
    private long renewAt;

    public EdfiTokens(HttpClient client, URI tokenUrl, String key, String secret, Duration timeout, Clock clock) {
        this.client = client;
        this.tokenUrl = tokenUrl;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A valid bearer token: the cached one, or a new one. Blocking. */
    public synchronized String token() throws EdfiException, InterruptedException {
        if (token == null || clock.millis() >= renewAt) {
            fetch();
        }
        return token;
    }

    /** The API refused {@code refused}: forget it unless another thread already has a newer one. */
    public synchronized void invalidate(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
    }

    private void fetch() throws EdfiException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                .header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new EdfiException(0, "token: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (response.statusCode() != 200) {
            // the key or secret is wrong, or the server is down: either way events wait and are retried
            throw new EdfiException(response.statusCode(), "token: HTTP " + response.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String accessToken = body.path("access_token").asText("");
            if (accessToken.isEmpty()) {
                throw new EdfiException(response.statusCode(), "token: the answer has no access_token");
            }
            long expiresIn = body.path("expires_in").asLong(0) * 1000;
            token = accessToken;
            // without expires_in it lasts until the API refuses it (a 401 fetches the next); a short-lived
            // token is still used for half its life rather than fetched for every request
            renewAt = expiresIn <= 0 ? Long.MAX_VALUE : clock.millis() + Math.max(expiresIn - EARLY, expiresIn / 2);
        } catch (IOException e) {
            throw new EdfiException(response.statusCode(), "token: the answer is not JSON");
        }
    }
}

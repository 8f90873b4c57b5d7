package org.smartschool.hub.forward.edfi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.smartschool.bridge.text.SafeText;

/**
 * The Ed-Fi API's resource calls the connector needs, with a bearer token from {@link EdfiTokens}: a
 * POST (Ed-Fi's upsert by natural key) that returns the id from the {@code Location} header, and a
 * DELETE by id. A 401 gets one new token and one more try. Blocking; each request has its timeout.
 */
public final class EdfiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REASON_CHARS = 300;

    private final HttpClient client;
    private final String baseUrl;
    private final EdfiTokens tokens;
    private final Duration timeout;

    /** @param baseUrl the data root, e.g. {@code https://host/api/data/v3}: resources are under {@code /ed-fi/} */
    public EdfiClient(HttpClient client, String baseUrl, EdfiTokens tokens, Duration timeout) {
        this.client = client;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
        this.timeout = timeout;
    }

    /** Creates or updates the resource; returns its id (null when Ed-Fi sent no Location). */
    public Created post(EdfiRequest request) throws EdfiException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(request.resource(), null))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.body())));
        int status = response.statusCode();
        if (status != 200 && status != 201) {
            throw new EdfiException(status, "POST " + request.resource() + ": HTTP " + status + reason(response.body()));
        }
        String location = response.headers().firstValue("Location").orElse(null);
        return new Created(status, location == null ? null : idOf(location));
    }

    /** Deletes a resource; one that is gone already (404) counts as deleted. */
    public void delete(String resource, String id) throws EdfiException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(resource, id)).DELETE());
        int status = response.statusCode();
        if (status != 204 && status != 200 && status != 404) {
            throw new EdfiException(status, "DELETE " + resource + ": HTTP " + status + reason(response.body()));
        }
    }

    /** What a POST gave: 201 (created) or 200 (updated), and the resource id. */
    public record Created(int status, String id) {
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws EdfiException, InterruptedException {
        request.timeout(timeout).header("Accept", "application/json").header("User-Agent", "smartschool-hub");
        String token = tokens.token();
        HttpResponse<String> response = exchange(request.copy().header("Authorization", "Bearer " + token).build());
        if (response.statusCode() == 401) {
            // expired or revoked early: one new token, one more try
            tokens.invalidate(token);
            response = exchange(request.header("Authorization", "Bearer " + tokens.token()).build());
        }
        return response;
    }

    private HttpResponse<String> exchange(HttpRequest request) throws EdfiException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new EdfiException(0, request.method() + " " + request.uri().getPath() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + SafeText.clean(e.getMessage(), 120)));
        }
    }

    private URI uri(String resource, String id) {
        return URI.create(baseUrl + "/ed-fi/" + resource + (id == null ? "" : "/" + id));
    }

    /** The last path segment of {@code Location: .../ed-fi/studentSchoolAttendanceEvents/{id}}. */
    static String idOf(String location) {
        String path = URI.create(location.strip()).getPath();
        if (path == null) {
            return null;
        }
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        return id.matches("[A-Za-z0-9-]{1,64}") ? id : null;
    }

    /**
     * Ed-Fi's error body in a line: its {@code detail} and the fields of its {@code validationErrors}
     * (field paths and messages, which Ed-Fi phrases without values), or the start of a non-JSON body.
     */
    static String reason(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = JSON.readTree(body);
            StringBuilder out = new StringBuilder();
            if (error.path("detail").isTextual()) {
                out.append(error.path("detail").asText());
            }
            error.path("validationErrors").fields().forEachRemaining(field -> {
                out.append(out.length() == 0 ? "" : "; ").append(field.getKey()).append(": ");
                field.getValue().forEach(message -> out.append(message.asText()).append(' '));
            });
            error.path("errors").forEach(message -> out.append(out.length() == 0 ? "" : "; ").append(message.asText()));
            return out.length() == 0 ? "" : ": " + SafeText.clean(out.toString().strip(), REASON_CHARS);
        } catch (IOException e) {
            return ": " + SafeText.clean(body, REASON_CHARS);
        }
    }
}

package org.smartschool.hub.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

/** A plain java.net.http client against a hub on loopback. */
public final class Http {
    private final HttpClient client = HttpClient.newBuilder()
            // as Prometheus and load balancers do; the JDK client's h2c upgrade stalls on answers over 64 KiB
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    /** Sent as {@code Authorization: Bearer} unless a request names its own; null for none. */
    private final String token;

    public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        public Response(int status, String contentType, String body) {
            this(status, contentType, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (name, value) -> true));
        }

        public JsonObject json() {
            return new JsonObject(body);
        }

        /** The header's first value, null when absent. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** Without a credential: open routes only ({@code /health}, {@code /metrics}, the OpenAPI document, login). */
    public Http(int port) {
        this(port, null);
    }

    /** Every request with {@code Authorization: Bearer token}. */
    public Http(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** With an admin API token made in the hub's state database ({@link TestAuth#adminToken}). */
    public static Http admin(org.smartschool.hub.app.Hub hub) {
        return new Http(hub.httpPort(), TestAuth.adminToken(hub));
    }

    /** The same hub with another credential (null for none). */
    public Http as(String otherToken) {
        return new Http(port, otherToken);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization")) {
                return request;
            }
        }
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    public Response get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET()).build();
        return response(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** A request with a JSON body (null for none) and optional headers as name, value pairs. */
    public Response send(String method, String pathAndQuery, String jsonBody, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, java.nio.charset.StandardCharsets.UTF_8));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        authorized(request, headers);
        return response(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /**
     * The whole body; of an event stream (which does not end) only what comes up to the end of its first event,
     * then the stream is closed, so that a caller walking every operation (ScopeTest) is answered.
     */
    private static Response response(HttpResponse<java.io.InputStream> response) throws IOException {
        String type = response.headers().firstValue("Content-Type").orElse("");
        try (java.io.InputStream in = response.body()) {
            String body;
            if (type.startsWith("text/event-stream")) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int b;
                int newlines = 0;
                // an event ends with an empty line; a stream that says nothing within the request's timeout fails it
                while (newlines < 2 && out.size() < 64 * 1024 && (b = in.read()) >= 0) {
                    out.write(b);
                    newlines = b == '\n' ? newlines + 1 : 0;
                }
                body = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            return new Response(response.statusCode(), type, body, response.headers());
        }
    }

    /** A GET with an {@code Accept} header; the whole answer with its headers (e.g. {@code Transfer-Encoding}). */
    public HttpResponse<String> get(String pathAndQuery, String accept) throws IOException, InterruptedException {
        HttpRequest request = authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).header("Accept", accept).GET()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The value of one sample in the Prometheus text of {@code /metrics}, e.g.
     * {@code metric("hub_batches_rejected_total{reason=\"quota_exceeded\"}")}; NaN when absent.
     */
    public double metric(String sample) throws IOException, InterruptedException {
        String text = get("/metrics").body();
        String name = sample.contains("{") ? sample.substring(0, sample.indexOf('{')) : sample;
        String labels = sample.contains("{") ? sample.substring(sample.indexOf('{')) : "";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)").matcher(text);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            if (found.equals(labels) || (!labels.isEmpty() && found.contains(labels.substring(1, labels.length() - 1)))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return Double.NaN;
    }
}

package org.smartschool.hub.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The demo's {@code --webhook URL --webhook-secret whsec_...}: subscribes URL to every alarm event
 * (and attendance events once they exist) of the demo district through the hub's own API, as a
 * district's IT person would.
 */
final class DemoWebhook {
    static final String ID = "demo";

    private DemoWebhook() {
    }

    /**
     * @throws IllegalArgumentException with the API's own message when it refuses (a bad URL or secret)
     */
    static void subscribe(String hubUrl, String apiToken, String url, String secret) throws IOException, InterruptedException {
        JsonObject body = new JsonObject().put("id", ID).put("url", url)
                .put("events", new JsonArray().add("alarm.*").add("attendance.*")).put("secret", secret);
        HttpRequest request = HttpRequest.newBuilder(URI.create(hubUrl + "api/v1/webhooks"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiToken)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 409) {
            return; // --data-dir kept the subscription from an earlier run
        }
        if (response.statusCode() != 201) {
            String error;
            try {
                error = new JsonObject(response.body()).getString("error", response.body());
            } catch (RuntimeException e) {
                error = "HTTP " + response.statusCode();
            }
            throw new IllegalArgumentException(error);
        }
    }
}

package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookSignature;
import org.smartschool.hub.testsupport.WebhookReceiver;
import org.smartschool.hub.testsupport.WebhookReceiver.Delivery;
import org.smartschool.hub.testsupport.Poll;

/**
 * Issue 8's "done when", in the demo: the simulated full classroom's CO2 becomes an alarm of the gateway's
 * school rules, which shows in the hub's API, is acknowledged through the API, clears once the room is
 * aired, and a webhook receiver (a real HTTP server here) got each of its transitions once, correctly
 * signed. Every part is the demo's real one; only the devices' clock runs fast ({@link FastClock}: about
 * 35 simulated minutes in under a minute), ahead of the wall clock, so that no rule judged by the gateway's
 * own clock (a silent fridge) sees the fast readings as old.
 */
@Timeout(240)
class DemoAlarmsEndToEndTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final double SPEED = 60;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Verifies that the CO2 alarm of school-01's classroom r101 is raised, listed as active, acknowledged
     * through the API (with who and a note), cleared after the airing, and that the receiver got raised,
     * acknowledged, the change to major and cleared of it exactly once each, in that order, each with a
     * valid Standard Webhooks signature and no webhook id twice.
     */
    @Test
    void co2AlarmOfTheFullClassroomIsRaisedAcknowledgedClearedAndForwardedOnceEach(@TempDir Path dir) throws Exception {
        WebhookReceiver receiver = WebhookReceiver.start();
        List<Delivery> deliveries = receiver.deliveries();
        String secret = WebhookSecret.generate(new SecureRandom());
        FastClock clock = new FastClock();
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, 2, 3, dir, Duration.ZERO);
        String id;
        try (DemoDistrict district = DemoDistrict.start(settings, clock)) {
            int port = district.httpPort();
            DemoWebhook.subscribe("http://127.0.0.1:" + port + "/", district.apiToken(),
                    receiver.url(), secret);
            // a login per role, printed with its password
            java.io.StringWriter printed = new java.io.StringWriter();
            DemoCommand.printLogins(new java.io.PrintWriter(printed, true), district);
            assertThat(district.logins()).extracting(DemoLogins.Login::role)
                    .containsExactlyInAnyOrder(org.smartschool.hub.auth.Role.values());
            for (DemoLogins.Login l : district.logins()) {
                assertThat(printed.toString()).contains(l.user()).contains(l.role().id()).contains("password " + l.password());
            }
            // the school's facility manager, signed in with the login the demo printed
            DemoLogins.Login operator = district.logins().stream().filter(l -> l.user().equals("school-01-operator"))
                    .findFirst().orElseThrow();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/login"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("user", operator.user())
                            .put("password", operator.password()).encode())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            token = new JsonObject(login.body()).getString("token");
            clock.run(SPEED);

            JsonObject raised = awaitAlarm(port, "/api/v1/alarms?school=school-01&state=active",
                    a -> "co2".equals(a.getString("rule")) && "r101".equals(a.getString("room")));
            clock.run(0); // hold the classroom as it is while somebody takes the alarm on
            id = raised.getString("id");
            assertThat(raised.getString("device")).isEqualTo("r101-air");
            assertThat(raised.getString("severity")).isEqualTo("warning");
            assertThat(raised.getDouble("value")).isGreaterThan(1000.0);

            HttpResponse<String> ack = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/v1/alarms/" + id + "/ack")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"by\":\"lan.nguyen\",\"note\":\"windows opened\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            assertThat(new JsonObject(ack.body()).getJsonObject("acknowledged").getString("by")).isEqualTo("lan.nguyen");
            awaitAlarm(port, "/api/v1/alarms?school=school-01&state=acknowledged", a -> id.equals(a.getString("id")));

            clock.run(SPEED);
            Poll.until(DEADLINE, "alarm " + id + " cleared", () -> "cleared".equals(get(port, "/api/v1/alarms/" + id).getString("state")));
            JsonObject cleared = get(port, "/api/v1/alarms/" + id);
            assertThat(cleared.getString("severity")).isEqualTo("major");
            assertThat(cleared.getJsonObject("acknowledged").getString("note")).isEqualTo("windows opened");

            Poll.until(DEADLINE, "the webhook of the clear", () -> types(deliveries, id).contains("alarm.cleared"));
        } finally {
            receiver.close();
        }

        assertThat(types(deliveries, null)).as("every delivery").isNotEmpty();
        Set<String> ids = new HashSet<>();
        WebhookSecret key = WebhookSecret.parse(secret);
        for (Delivery d : deliveries) {
            assertThat(ids.add(d.id())).as("webhook id %s delivered once", d.id()).isTrue();
            assertThat(d.signature()).as("signature of %s", d.id()).isEqualTo("v1," + hmac(secret, d));
            assertThat(WebhookSignature.headers(d.id(), Long.parseLong(d.timestamp()), d.body(), List.of(key)))
                    .containsEntry(WebhookSignature.SIGNATURE, d.signature());
            assertThat(Math.abs(Long.parseLong(d.timestamp()) - Instant.now().getEpochSecond())).isLessThan(300);
        }
        // Only this alarm's deliveries: during school hours in Vietnam the demo's simulation also raises other
        // alarms and its morning's attendance decisions go to the same receiver.
        assertThat(types(deliveries, id))
                .containsExactly("alarm.raised", "alarm.acknowledged", "alarm.severity_changed", "alarm.cleared");
        String ourId = id;
        List<JsonObject> ours = deliveries.stream().map(Delivery::json)
                .filter(j -> ourId.equals(j.getJsonObject("data").getString("alarmId"))).toList();
        assertThat(ours.get(0).getJsonObject("data").getString("room")).isEqualTo("r101");
        assertThat(ours.get(0).getJsonObject("data").getString("rule")).isEqualTo("co2");
        assertThat(ours.get(1).getJsonObject("data").getString("by")).isEqualTo("lan.nguyen");
        assertThat(ours.get(2).getJsonObject("data").getString("severity")).isEqualTo("major");
    }

    /** The event types delivered for alarm {@code id} (every alarm when null), in delivery order. */
    private static List<String> types(List<Delivery> deliveries, String id) {
        List<String> out = new ArrayList<>();
        for (Delivery d : deliveries) {
            JsonObject json = d.json();
            if (id == null || id.equals(json.getJsonObject("data").getString("alarmId"))) {
                out.add(json.getString("type"));
            }
        }
        return out;
    }

    /** Standard Webhooks' signature computed here, apart from the hub's code: HMAC-SHA256 of id.timestamp.body. */
    private static String hmac(String secret, Delivery d) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((d.id() + "." + d.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(d.body()));
    }

    private JsonObject awaitAlarm(int port, String path, java.util.function.Predicate<JsonObject> which) throws Exception {
        JsonObject[] found = new JsonObject[1];
        Poll.until(DEADLINE, "an alarm at " + path, () -> {
            for (Object a : get(port, path).getJsonArray("alarms")) {
                if (which.test((JsonObject) a)) {
                    found[0] = (JsonObject) a;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** The school operator's session token. */
    private volatile String token;

    private JsonObject get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    /**
     * The devices' clock: from now on, at {@link #run(double)} times the wall clock's pace (0: held), never
     * going back. It only runs ahead of the wall clock, never behind.
     */
    static final class FastClock extends Clock {
        private long anchorWall = System.currentTimeMillis();
        private long anchorSim = anchorWall;
        private double speed;

        synchronized void run(double newSpeed) {
            long now = System.currentTimeMillis();
            anchorSim = Math.max(simAt(now), now);
            anchorWall = now;
            speed = newSpeed;
        }

        private long simAt(long wall) {
            return anchorSim + (long) ((wall - anchorWall) * speed);
        }

        @Override
        public synchronized long millis() {
            return Math.max(simAt(System.currentTimeMillis()), System.currentTimeMillis());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the demo's devices need no zone");
        }
    }
}

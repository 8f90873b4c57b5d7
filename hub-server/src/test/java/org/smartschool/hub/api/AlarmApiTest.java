package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * An alarm's life through the real hub: a gateway's batch raises it, the API lists it, somebody
 * acknowledges it, the gateway clears it; a school management system subscribed through the API gets
 * each step once, signed (checked with the Standard Webhooks reference library), in order.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AlarmApiTest {
    private static final String SCHOOL = HubFixture.SCHOOL_1;
    private static final long T0 = Batches.T0;

    @TempDir
    Path dir;
    private Hub hub;
    private HttpServer sms;
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> types = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
        if (sms != null) {
            sms.stop(0);
        }
    }

    private static AlarmTransition step(Kind kind, Severity severity, long at) {
        return new AlarmTransition(AlarmId.of(SCHOOL, "r1-01/r1-01-air", "co2", T0), SCHOOL, "r1-01", "r1-01-air", "co2",
                kind, severity, T0, at, 1600, kind.id());
    }

    private static Batch batch(String id, AlarmTransition... steps) {
        return new Batch(HubFixture.GATEWAY_1 + "-" + id, HubFixture.GATEWAY_1, SCHOOL, List.of(),
                java.util.Arrays.stream(steps).map(AlarmTransitions::asEvent).toList());
    }

    @Test
    void anAlarmIsRaisedListedAcknowledgedClearedAndForwardedOnceEach(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Http http = Http.admin(hub);
        startSms();
        Http.Response created = http.send("POST", "/api/v1/webhooks", new JsonObject()
                .put("id", "sms").put("url", "http://127.0.0.1:" + sms.getAddress().getPort() + "/hooks")
                .put("school", SCHOOL).put("events", new JsonArray().add("alarm.*")).encode());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String secret = created.json().getString("secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(http.get("/api/v1/webhooks").body()).doesNotContain(secret);
        verifyWith(secret);

        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL, HubFixture.GATEWAY_1, HubFixture.SECRET_1)) {
            assertThat(gateway.sendBatch(batch("a1", step(Kind.RAISED, Severity.WARNING, T0),
                    step(Kind.SEVERITY_CHANGED, Severity.MAJOR, T0 + 60_000))).reasonCode()).isZero();
            // the gateway resends after an outage: no second alarm, no second webhook
            assertThat(gateway.sendBatch(batch("a1-again", step(Kind.RAISED, Severity.WARNING, T0))).reasonCode()).isZero();

            JsonArray active = http.get("/api/v1/alarms?school=" + SCHOOL + "&state=active").json().getJsonArray("alarms");
            assertThat(active).hasSize(1);
            JsonObject alarm = active.getJsonObject(0);
            String id = alarm.getString("id");
            assertThat(id).isEqualTo(step(Kind.RAISED, Severity.WARNING, T0).alarmId());
            assertThat(alarm.getString("severity")).isEqualTo("major");

            Http.Response ack = http.send("POST", "/api/v1/alarms/" + id + "/ack",
                    "{\"by\":\"thu.nguyen\",\"note\":\"Đã mở cửa sổ\"}");
            assertThat(ack.status()).as(ack.body()).isEqualTo(200);
            assertThat(ack.json().getString("state")).isEqualTo("acknowledged");
            Http.Response again = http.send("POST", "/api/v1/alarms/" + id + "/ack", "{\"by\":\"someone.else\"}");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().getString("error")).contains("already acknowledged by thu.nguyen");
            assertThat(http.send("POST", "/api/v1/alarms/" + id + "/ack", "{\"note\":\"who?\"}").status()).isEqualTo(400);
            assertThat(http.send("POST", "/api/v1/alarms/nope/ack", "{\"by\":\"x\"}").status()).isEqualTo(404);

            assertThat(gateway.sendBatch(batch("a2", step(Kind.CLEARED, Severity.MAJOR, T0 + 600_000))).reasonCode()).isZero();
            JsonObject cleared = http.get("/api/v1/alarms/" + id).json();
            assertThat(cleared.getString("state")).isEqualTo("cleared");
            assertThat(cleared.getJsonObject("acknowledged").getString("note")).isEqualTo("Đã mở cửa sổ");
            // history is in the order the steps happened: the gateway's times are in March 2025 (Batches.T0),
            // the acknowledgement was made today
            assertThat(cleared.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("what")).toList())
                    .containsExactly("raised", "severity_changed", "cleared", "acknowledged");
        }
        Poll.until(Duration.ofSeconds(30), "four steps at the SMS", () -> received.size() >= 4);
        assertThat(types).containsExactly("alarm.raised", "alarm.severity_changed", "alarm.acknowledged", "alarm.cleared");
        assertThat(Set.copyOf(received)).hasSize(4);
        // a live negative check: one more step arrives, and still nothing twice
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL, HubFixture.GATEWAY_1, HubFixture.SECRET_1)) {
            AlarmTransition next = new AlarmTransition(AlarmId.of(SCHOOL, "r1-02/r1-02-air", "co2", T0 + 700_000), SCHOOL,
                    "r1-02", "r1-02-air", "co2", Kind.RAISED, Severity.WARNING, T0 + 700_000, T0 + 700_000, 1100, "");
            assertThat(gateway.sendBatch(new Batch(HubFixture.GATEWAY_1 + "-a3", HubFixture.GATEWAY_1, SCHOOL, List.of(),
                    List.of(AlarmTransitions.asEvent(next)))).reasonCode()).isZero();
        }
        Poll.until(Duration.ofSeconds(30), "the fifth step", () -> received.size() >= 5);
        assertThat(received).hasSize(5).doesNotHaveDuplicates();
    }

    private String secret;

    private void verifyWith(String whsec) {
        this.secret = whsec;
    }

    private void startSms() throws Exception {
        sms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sms.setExecutor(Executors.newCachedThreadPool());
        sms.createContext("/hooks", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = ex.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue, (a, b) -> a));
            int status = 200;
            try {
                new Webhook(secret).verify(new String(body, StandardCharsets.UTF_8), HttpHeaders.of(headers, (a, b) -> true));
                JsonObject event = new JsonObject(new String(body, StandardCharsets.UTF_8));
                received.add(headers.get("webhook-id").get(0));
                types.add(event.getString("type"));
            } catch (Exception e) {
                status = 400;
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        sms.start();
    }
}

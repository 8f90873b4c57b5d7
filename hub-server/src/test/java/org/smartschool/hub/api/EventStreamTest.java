package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_2;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_2;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.auth.Principal;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.live.LiveEvent;
import org.smartschool.hub.live.LiveEvents;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.testsupport.EventStreamClient;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestAuth;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The console's live event stream ({@code GET /api/v1/events/stream}): the events a real hub learns from gateways'
 * batches, the acknowledgement API and gateways' connections, each reaching the streams whose scope holds its school
 * and no other; heartbeats on an idle stream; a client that does not read is dropped and counted, while one that
 * reads keeps everything.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EventStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Verifies readings, alarm steps and gateway changes reach the district's stream and school A's, B's never A's. */
    @Test
    void streamsTheHubsEventsToTheirSchoolOnly(Vertx vertx) throws Exception {
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        List<EventStreamClient> streams = new ArrayList<>();
        try {
            Http admin = Http.admin(hub);
            String districtToken = TestAuth.token(hub, Role.DISTRICT_OPERATOR, null);
            String schoolAToken = TestAuth.token(hub, Role.SCHOOL_VIEWER, SCHOOL_1);
            EventStreamClient district = open(hub, districtToken, "", streams);
            EventStreamClient schoolA = open(hub, schoolAToken, "", streams);
            EventStreamClient districtOnB = open(hub, districtToken, "?school=" + SCHOOL_2, streams);
            assertThat(district.next("ready").getString("school")).isNull();
            assertThat(schoolA.next("ready").getString("school")).as("a school's user is scoped to its school").isEqualTo(SCHOOL_1);
            assertThat(districtOnB.next("ready").getString("school")).isEqualTo(SCHOOL_2);
            // naming another school is refused before any stream opens
            assertThat(admin.as(schoolAToken).get("/api/v1/events/stream?school=" + SCHOOL_2).status()).isEqualTo(403);
            assertThat(admin.as(null).get("/api/v1/events/stream").status()).isEqualTo(401);
            assertThat(admin.get("/api/v1/events/stream?school=bad!id").status()).isEqualTo(400);

            long now = System.currentTimeMillis();
            String alarmA = AlarmId.of(SCHOOL_1, "r101/r101-air", "co2", now - 5_000);
            String alarmB = AlarmId.of(SCHOOL_2, "rb1/rb1-air", "co2", now - 5_000);
            try (TestGateway a = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
                assertThat(a.sendBatch(batch(GATEWAY_1, SCHOOL_1, "a-1", "r101", 1640, alarmA, now)).reasonCode()).isZero();
                for (EventStreamClient s : List.of(district, schoolA)) {
                    JsonObject online = s.until("gateway", e -> e.getString("gateway").equals(GATEWAY_1));
                    assertThat(online.getString("type")).isEqualTo("gateway_online");
                    assertThat(online.getString("school")).isEqualTo(SCHOOL_1);
                    JsonObject reading = s.until("reading", e -> e.getString("room").equals("r101"));
                    assertThat(reading.getString("school")).isEqualTo(SCHOOL_1);
                    JsonObject co2 = reading.getJsonArray("values").getJsonObject(0);
                    assertThat(co2.getString("quantity")).isEqualTo("co2");
                    assertThat(co2.getDouble("value")).isEqualTo(1640.0);
                    assertThat(co2.getString("device")).isEqualTo("r101-air");
                    JsonObject alarm = s.until("alarm", e -> e.getJsonObject("alarm").getString("id").equals(alarmA));
                    assertThat(alarm.getString("change")).isEqualTo("raised");
                    assertThat(alarm.getJsonObject("alarm").getString("state")).isEqualTo("active");
                    assertThat(alarm.getJsonObject("alarm").getString("severity")).isEqualTo("major");
                }

                // school B's gateway and batch: the district's streams get them
                try (TestGateway b = TestGateway.connect(hub.mqttPort(), SCHOOL_2, GATEWAY_2, SECRET_2)) {
                    assertThat(b.sendBatch(batch(GATEWAY_2, SCHOOL_2, "b-1", "rb1", 1700, alarmB, now)).reasonCode()).isZero();
                }
                for (EventStreamClient s : List.of(district, districtOnB)) {
                    assertThat(s.until("reading", e -> e.getString("room").equals("rb1")).getString("school")).isEqualTo(SCHOOL_2);
                    assertThat(s.until("alarm", e -> e.getJsonObject("alarm").getString("id").equals(alarmB)).getString("change"))
                            .isEqualTo("raised");
                    assertThat(s.until("gateway", e -> e.getString("type").equals("gateway_offline")).getString("gateway"))
                            .isEqualTo(GATEWAY_2);
                }

                // A's alarm acknowledged through the API: on A's stream, after everything of B was published
                Http.Response acked = admin.send("POST", "/api/v1/alarms/" + alarmA + "/ack", "{\"by\":\"lan\",\"note\":\"windows open\"}");
                assertThat(acked.status()).as(acked.body()).isEqualTo(200);
                for (EventStreamClient s : List.of(district, schoolA)) {
                    JsonObject ack = s.until("alarm", e -> e.getString("change").equals("acknowledged"));
                    assertThat(ack.getJsonObject("alarm").getString("id")).isEqualTo(alarmA);
                    assertThat(ack.getJsonObject("alarm").getString("state")).isEqualTo("acknowledged");
                    assertThat(ack.getJsonObject("alarm").getJsonObject("acknowledged").getString("by")).isEqualTo("lan");
                }
            }
            assertThat(schoolA.until("gateway", e -> e.getString("type").equals("gateway_offline")).getString("gateway"))
                    .isEqualTo(GATEWAY_1);
            // each stream holds its scope's events only (B's were published before A's acknowledgement, so they would show)
            assertThat(schoolA.received()).hasSizeGreaterThanOrEqualTo(6).noneMatch(e -> e.contains(SCHOOL_2) || e.contains(GATEWAY_2));
            assertThat(districtOnB.received()).noneMatch(e -> e.contains(SCHOOL_1) || e.contains(GATEWAY_1));
            assertThat(district.received()).anyMatch(e -> e.contains(SCHOOL_1)).anyMatch(e -> e.contains(SCHOOL_2));
            assertThat(admin.metric("hub_live_streams")).isEqualTo(3.0);
        } finally {
            streams.forEach(EventStreamClient::close);
            HubFixture.await(hub.close());
        }
    }

    /**
     * Verifies that an idle stream gets heartbeats, and that a client that stops reading is dropped and counted once
     * its events pile up, while a client that reads receives every event, in order.
     */
    @Test
    void heartbeatsKeepAnIdleStreamAndASlowClientIsDropped(Vertx vertx) throws Exception {
        LiveEvents live = new LiveEvents();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int maxQueued = 32;
        Router router = Router.router(vertx);
        Principal district = new Principal("ops", Role.DISTRICT_VIEWER, null);
        router.route().handler(rc -> {
            AccessCheck.principal(rc, district);
            rc.next();
        });
        new EventStreamRoutes(live, meters, maxQueued, 200, 60_000).mount(router);
        HttpServer server = HubFixture.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        List<EventStreamClient> streams = new ArrayList<>();
        try (Socket slow = new Socket()) {
            EventStreamClient fast = open(server.actualPort(), null, "", streams);
            assertThat(fast.next("ready")).isNotNull();
            // a heartbeat comment on the idle stream
            Poll.until(WAIT, "a heartbeat", () -> fast.comments() > 0);

            // the slow client: a small receive window, and it never reads
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5000);
            OutputStream request = slow.getOutputStream();
            request.write(("GET " + EventStreamRoutes.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            Poll.until(WAIT, "two streams open", () -> meters.get("hub_live_streams").gauge().value() == 2);

            // about 16 KB per event; published from this thread as a store's worker would
            List<LatestValue> values = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                values.add(new LatestValue(SCHOOL_1, "r101", Quantity.CO2, "r101-air-" + "x".repeat(80) + i, 800 + i, 1_000L + i));
            }
            int published = 0;
            while (meters.counter("hub_live_streams_dropped_total").count() == 0 && published < 5_000) {
                live.publish(new LiveEvent.RoomValues(SCHOOL_1, "room-" + published, values));
                published++;
                if (published % 8 == 0) {
                    // the fast reader keeps up (never more than a few events waiting); the slow one's share waits in the
                    // kernel, then in its connection's write queue, then in its own queue until that is full
                    int sent = published;
                    Poll.until(WAIT, "the fast reader keeps up", () -> fast.readings() == sent);
                }
            }
            assertThat(meters.counter("hub_live_streams_dropped_total").count()).as("the slow client dropped, once").isEqualTo(1.0);
            Poll.until(WAIT, "the slow client's stream ended", () -> meters.get("hub_live_streams").gauge().value() == 1);
            assertThat(live.subscribers()).as("one subscription serves every stream").isEqualTo(1);
            // the slow client's connection is closed: what it did not read ends, then EOF
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                read += n;
            }
            assertThat(read).as("the slow client had received some before it was dropped").isGreaterThan(0);
            // never sent: the events waiting in its queue when it was dropped, and the one that found the queue full
            long eventBytes = EventStreamRoutes.encode(new LiveEvent.RoomValues(SCHOOL_1, "room-" + (published - 1), values))
                    .getBytes(StandardCharsets.UTF_8).length;
            assertThat(read).as("but not the last %d of the %d events", maxQueued + 1, published)
                    // plus the headers, the ready event and the heartbeats
                    .isLessThanOrEqualTo((published - maxQueued - 1) * eventBytes + 4096);

            // the fast reader got every event, in order
            int last = published - 1;
            int all = published;
            Poll.until(WAIT, "every event at the fast reader", () -> fast.readings() == all);
            assertThat(fast.received().stream().filter(e -> e.startsWith("reading")).map(e -> new JsonObject(e.substring(e.indexOf('{')))
                    .getString("room")).toList()).endsWith("room-" + (last - 1), "room-" + last).hasSize(published);
            assertThat(meters.get("hub_live_streams").gauge().value()).isEqualTo(1.0);
        } finally {
            streams.forEach(EventStreamClient::close);
            HubFixture.await(server.close());
        }
    }

    /** Verifies that a school's stream filters on the server: events of another school are never written to it. */
    @Test
    void aSchoolStreamNeverCarriesAnotherSchoolsEvents(Vertx vertx) throws Exception {
        LiveEvents live = new LiveEvents();
        Router router = Router.router(vertx);
        router.route().handler(rc -> {
            AccessCheck.principal(rc, new Principal("lan", Role.SCHOOL_OPERATOR, SCHOOL_1));
            rc.next();
        });
        new EventStreamRoutes(live, new SimpleMeterRegistry(), 64, 60_000, 60_000).mount(router);
        HttpServer server = HubFixture.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        List<EventStreamClient> streams = new ArrayList<>();
        try {
            // no school= here (AccessCheck is not in front): the route refuses a school role a stream without its school
            EventStreamClient refused = open(server.actualPort(), null, "", streams);
            assertThat(refused.status()).isEqualTo(403);
            EventStreamClient own = open(server.actualPort(), null, "?school=" + SCHOOL_1, streams);
            assertThat(own.next("ready").getString("school")).isEqualTo(SCHOOL_1);
            // even a stream that names another school (were the access check to let it through) gets none of it
            EventStreamClient other = open(server.actualPort(), null, "?school=" + SCHOOL_2, streams);
            assertThat(other.next("ready").getString("school")).isEqualTo(SCHOOL_2);
            List<LatestValue> values = List.of(new LatestValue(SCHOOL_2, "rb1", Quantity.CO2, "rb1-air", 900, 1));
            live.publish(new LiveEvent.RoomValues(SCHOOL_2, "rb1", values));
            live.publish(new LiveEvent.RoomValues(SCHOOL_1, "r101", List.of(new LatestValue(SCHOOL_1, "r101", Quantity.CO2, "r101-air", 700, 2))));
            assertThat(own.next(null).getString("room")).isEqualTo("r101");
            live.publish(new LiveEvent.RoomValues(SCHOOL_1, "r102", List.of()));
            assertThat(own.next(null).getString("room")).isEqualTo("r102");
            assertThat(other.readings()).isZero();
        } finally {
            streams.forEach(EventStreamClient::close);
            HubFixture.await(server.close());
        }
    }

    /** Verifies that the hub ends a stream after its lifetime (the browser reconnects, its credential checked again). */
    @Test
    void aStreamEndsAfterItsLifetime(Vertx vertx) throws Exception {
        LiveEvents live = new LiveEvents();
        Router router = Router.router(vertx);
        router.route().handler(rc -> {
            AccessCheck.principal(rc, new Principal("ops", Role.DISTRICT_VIEWER, null));
            rc.next();
        });
        new EventStreamRoutes(live, new SimpleMeterRegistry(), 64, 60_000, 700).mount(router);
        HttpServer server = HubFixture.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        List<EventStreamClient> streams = new ArrayList<>();
        try {
            EventStreamClient stream = open(server.actualPort(), null, "", streams);
            assertThat(stream.next("ready")).isNotNull();
            // live until its lifetime is over
            live.publish(new LiveEvent.RoomValues(SCHOOL_1, "r101", List.of()));
            assertThat(stream.next("reading").getString("room")).isEqualTo("r101");
            Poll.until(WAIT, "the stream ended by the hub", stream::ended);
            assertThat(live.subscribers()).isZero();
        } finally {
            streams.forEach(EventStreamClient::close);
            HubFixture.await(server.close());
        }
    }

    // ---- a stream as a browser's EventSource reads it ----

    private static EventStreamClient open(Hub hub, String token, String query, List<EventStreamClient> streams) throws Exception {
        return open(hub.httpPort(), token, query, streams);
    }

    private static EventStreamClient open(int port, String token, String query, List<EventStreamClient> streams) throws Exception {
        EventStreamClient stream = new EventStreamClient(port, token, query);
        streams.add(stream);
        return stream;
    }

    /** A batch of one CO2 reading of {@code room} with its alarm raised. */
    static Batch batch(String gateway, String school, String id, String room, double co2, String alarmId, long now) {
        DeviceRef device = new DeviceRef(school, room, room + "-air");
        AlarmTransition raised = new AlarmTransition(alarmId, school, room, device.device(), "co2", AlarmTransition.Kind.RAISED,
                Severity.MAJOR, now - 5_000, now - 5_000, co2, "15 min mean " + co2 + " ppm above 1500");
        return new Batch(gateway + "-" + id, gateway, school, List.of(Reading.of(device, Quantity.CO2, co2, now - 5_000)),
                List.of(AlarmTransitions.asEvent(raised)));
    }
}

package org.smartschool.hub.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.config.EdfiConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.forward.AttendanceEvents;
import org.smartschool.hub.forward.RetrySchedule;
import org.smartschool.hub.forward.WebhookDelivery;
import org.smartschool.hub.forward.WebhookDispatcher;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookSubscription;
import org.smartschool.hub.forward.edfi.EdfiDelivery;
import org.smartschool.hub.forward.edfi.EdfiDispatcher;
import org.smartschool.hub.forward.edfi.EdfiMapping;
import org.smartschool.hub.forward.edfi.EdfiStore;
import org.smartschool.hub.testsupport.CountingProxy;
import org.smartschool.hub.testsupport.EdfiTestServer;
import org.smartschool.hub.testsupport.EdfiTestServer.Request;
import org.smartschool.hub.testsupport.EdfiTestServer.Resource;
import org.smartschool.hub.testsupport.ManualClock;
import org.smartschool.hub.testsupport.Poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Attendance events forwarded to a local server that behaves like the Ed-Fi API ({@link EdfiTestServer}),
 * through the real state database: a change of category deletes the old resource before posting the
 * new one, tokens are renewed, failures are retried in order without loss, refusals become dead letters
 * with their reason, and a dead Ed-Fi server does not hold up webhooks.
 */
@Timeout(60)
abstract class EdfiForwardingContract {
    static final String SCHOOL = "thcs-nguyen-du";
    static final long SCHOOL_ID = 255901001L;
    static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    static final String LEARNER_A = "079201001234";
    static final String LEARNER_B = "079201005678";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    StateDatabase db;
    JdbcEdfiStore edfi;
    JdbcWebhookStore webhooks;
    EdfiTestServer server;
    EdfiDispatcher dispatcher;
    WebhookDispatcher webhookDispatcher;
    HttpServer receiver;
    JdbcAttendanceOutbox outbox;
    EdfiConfig config;
    StateConfig stateConfig;
    private int seq;

    abstract StateConfig emptyDatabase() throws Exception;

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (webhookDispatcher != null) {
            webhookDispatcher.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The state database, the Ed-Fi server and the connector on {@code clock}, each request timing out after {@code timeout}. */
    void start(Clock clock, Duration timeout) throws Exception {
        stateConfig = emptyDatabase();
        db = StateDatabase.open(stateConfig);
        edfi = new JdbcEdfiStore(db);
        webhooks = new JdbcWebhookStore(db);
        server = new EdfiTestServer();
        config = new EdfiConfig(server.baseUrl(), server.tokenUrl(), EdfiTestServer.KEY, EdfiTestServer.SECRET,
                10, 24, 50, 4, 2027,
                List.of(new EdfiConfig.Term("2026-2027 Semester 1", "2026-09-05", "2027-01-17")),
                Map.of(SCHOOL, new EdfiConfig.School(SCHOOL_ID, 0, List.of(),
                        Map.of("6a-chem", new EdfiConfig.Section("CHEM-6", "6A-CHEM-1")))));
        EdfiMapping mapping = new EdfiMapping(config);
        dispatcher = new EdfiDispatcher(edfi, config, new RetrySchedule(100, 400, 60_000), timeout, clock, new SimpleMeterRegistry());
        outbox = new JdbcAttendanceOutbox(db, mapping::covers, clock, () -> {
            dispatcher.wake(); // the field: a test may replace the dispatcher
            if (webhookDispatcher != null) {
                webhookDispatcher.wake();
            }
        });
        dispatcher.start(50);
    }

    AttendanceEvent period(String learner, String period, AttendanceCategory category) {
        return new AttendanceEvent("att-" + (++seq), SCHOOL, learner, "6a-chem", DAY, "morning", period, category,
                1_796_600_000_000L + seq);
    }

    AttendanceEvent session(String learner, LocalDate day, String session, AttendanceCategory category) {
        return new AttendanceEvent("att-" + (++seq), SCHOOL, learner, "6a", day, session, null, category,
                1_796_600_000_000L + seq);
    }

    void awaitDelivered(int count) throws Exception {
        Poll.until(Duration.ofSeconds(30), count + " events delivered to Ed-Fi", () -> delivered() == count);
    }

    int delivered() {
        int n = 0;
        for (long s = 1; edfi.delivery(s).isPresent(); s++) {
            n += edfi.delivery(s).get().state() == WebhookDelivery.State.DELIVERED ? 1 : 0;
        }
        return n;
    }

    private static List<String> methods(List<Request> requests) {
        return requests.stream().map(r -> r.method() + " " + r.status() + " "
                + (r.descriptor() == null ? null : r.descriptor().substring(r.descriptor().indexOf('#') + 1))).toList();
    }

    @Test
    void anIdlePollOnlyReads() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        dispatcher.close();
        CountingProxy<EdfiStore> counting = new CountingProxy<>(EdfiStore.class, edfi);
        dispatcher = new EdfiDispatcher(counting.proxy(), config, new RetrySchedule(100, 400, 60_000), Duration.ofSeconds(5),
                Clock.systemUTC(), new SimpleMeterRegistry());
        dispatcher.start(10);
        Poll.until(Duration.ofSeconds(30), "ten idle polls",
                () -> counting.calls("anyDue") + counting.calls("claimDue") >= 10);
        assertEquals(0, counting.calls("claimDue"), "no write transaction while nothing is due");

        outbox.accept(period(LEARNER_A, "p1", AttendanceCategory.PRESENT));
        awaitDelivered(1);
        assertEquals(1, counting.calls("delivered"));
    }

    @Test
    void aChangeOfCategoryDeletesTheOldResourceThenCreatesTheNewOne() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        outbox.accept(period(LEARNER_A, "p3", AttendanceCategory.PRESENT));
        awaitDelivered(1);
        outbox.accept(period(LEARNER_A, "p3", AttendanceCategory.LATE));
        awaitDelivered(2);

        assertEquals(List.of("POST 201 In Attendance", "DELETE 204 In Attendance", "POST 201 Tardy"), methods(server.requests()));
        List<Resource> stored = server.resources();
        assertEquals(1, stored.size(), "only the latest category stands in Ed-Fi: " + stored);
        JsonNode body = stored.get(0).body();
        assertEquals(EdfiTestServer.DESCRIPTOR_PREFIX + "Tardy", body.path("attendanceEventCategoryDescriptor").asText());
        assertEquals("studentSectionAttendanceEvents", stored.get(0).resource());
        assertEquals(LEARNER_A, body.path("studentReference").path("studentUniqueId").asText());
        assertEquals("2026-12-03", body.path("eventDate").asText());
        JsonNode section = body.path("sectionReference");
        assertEquals("CHEM-6", section.path("localCourseCode").asText());
        assertEquals("6A-CHEM-1", section.path("sectionIdentifier").asText());
        assertEquals(SCHOOL_ID, section.path("schoolId").asLong());
        assertEquals(2027, section.path("schoolYear").asInt());
        assertEquals("2026-2027 Semester 1", section.path("sessionName").asText());
        assertEquals(stored.get(0).id(), edfi.resource(period(LEARNER_A, "p3", AttendanceCategory.LATE).slot()).orElseThrow().id(),
                "the new resource's id is remembered for the next change");
    }

    @Test
    void anOldResourceAlreadyGoneFromEdfiDoesNotStopTheNewOne() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        outbox.accept(period(LEARNER_A, "p3", AttendanceCategory.PRESENT));
        awaitDelivered(1);
        server.deleteBehindTheConnectorsBack(server.resources().get(0).id());
        outbox.accept(period(LEARNER_A, "p3", AttendanceCategory.EXCUSED_ABSENCE));
        awaitDelivered(2);

        assertEquals(List.of("POST 201 In Attendance", "DELETE 404 null", "POST 201 Excused Absence"), methods(server.requests()));
        assertEquals(1, server.resources().size());
        assertEquals(1, edfi.delivery(2).orElseThrow().attempts(), "a 404 on the DELETE is no failure");
    }

    @Test
    void queuedEventsSurviveARestartAndGoOutInOrder() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        dispatcher.close(); // the hub stops before it sent anything
        List<AttendanceEvent> events = List.of(period(LEARNER_A, "p1", AttendanceCategory.UNEXCUSED_ABSENCE),
                period(LEARNER_A, "p1", AttendanceCategory.LATE), period(LEARNER_A, "p2", AttendanceCategory.PRESENT));
        events.forEach(outbox::accept);
        db.close();

        db = StateDatabase.open(stateConfig); // the hub starts again on the same state database
        edfi = new JdbcEdfiStore(db);
        dispatcher = new EdfiDispatcher(edfi, config, new RetrySchedule(100, 400, 60_000), Duration.ofSeconds(5), Clock.systemUTC(),
                new SimpleMeterRegistry());
        dispatcher.start(50);
        awaitDelivered(3);

        assertEquals(List.of("POST 201 Unexcused Absence", "DELETE 204 Unexcused Absence", "POST 201 Tardy", "POST 201 In Attendance"),
                methods(server.requests()));
    }

    @Test
    void twoHubReplicasNeverClaimTheSameEventOrWebhook() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        dispatcher.close(); // the replicas below claim by hand
        webhooks.putSubscription(new WebhookSubscription("sms", URI.create("http://127.0.0.1:9/sms"), null, Set.of("attendance.*"),
                null, List.of(WebhookSecret.parse(WebhookSecret.generate(new SecureRandom()))), null, 1L));
        int lines = 60;
        for (int i = 0; i < lines; i++) {
            outbox.accept(period(String.format("0792010%05d", i), "p1", AttendanceCategory.PRESENT)); // Ed-Fi: a line per learner
            outbox.accept(new AttendanceEvent("wh-" + i, "school-" + i, LEARNER_A, "6a", DAY, "morning", null,
                    AttendanceCategory.PRESENT, 1L)); // webhooks: a line per school and learner (not an Ed-Fi school)
        }
        // a second decision for the first learner: behind its first in both queues, so no head while that one waits
        outbox.accept(period(String.format("0792010%05d", 0), "p1", AttendanceCategory.LATE));
        List<JdbcEdfiStore> edfiReplicas = List.of(new JdbcEdfiStore(db), new JdbcEdfiStore(db));
        List<Long> edfiClaims = claimConcurrently(lines, i -> {
            long now = System.currentTimeMillis();
            return edfiReplicas.get(i).claimDue(now, now + 600_000, 7).stream().map(EdfiDelivery::seq).toList();
        });
        List<JdbcWebhookStore> webhookReplicas = List.of(new JdbcWebhookStore(db), new JdbcWebhookStore(db));
        List<Long> webhookClaims = claimConcurrently(2 * lines, i -> {
            long now = System.currentTimeMillis();
            return webhookReplicas.get(i).claimDue(now, now + 600_000, 7).stream().map(WebhookDelivery::seq).toList();
        });

        assertEquals(lines, edfiClaims.size(), "each Ed-Fi event claimed once: " + edfiClaims);
        assertEquals(lines, Set.copyOf(edfiClaims).size());
        // the 60 Ed-Fi school events also queued webhooks, a line per learner (docs/webhooks.md); the second decision
        // of the first learner is no head
        assertEquals(2 * lines, webhookClaims.size(), "each webhook head claimed once: " + webhookClaims);
        assertEquals(2 * lines, Set.copyOf(webhookClaims).size());
    }

    /** Two threads, as two hub replicas, claim at the same moments until {@code total} claims were made (or 100 rounds). */
    private static List<Long> claimConcurrently(int total, java.util.function.IntFunction<List<Long>> claim) throws Exception {
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int replica = r;
            threads.add(new Thread(() -> {
                try {
                    for (int round = 0; round < 100; round++) {
                        together.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        claimed.addAll(claim.apply(replica));
                        together.await(10, java.util.concurrent.TimeUnit.SECONDS); // both see the same count
                        if (claimed.size() >= total) {
                            return;
                        }
                    }
                } catch (Exception e) {
                    together.reset();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(60_000);
        }
        return List.copyOf(claimed);
    }

    @Test
    void aSessionEventIsASchoolAttendanceEventAndAReplayIsNotSentAgain() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        AttendanceEvent morning = session(LEARNER_B, DAY, "morning", AttendanceCategory.UNEXCUSED_ABSENCE);
        outbox.accept(morning);
        awaitDelivered(1);
        outbox.accept(morning); // replayed by a gateway after an outage: the same id
        outbox.accept(session(LEARNER_A, DAY, "morning", AttendanceCategory.PRESENT));
        awaitDelivered(2); // the path is live: the later event went through

        assertEquals(List.of("POST 201 Unexcused Absence", "POST 201 In Attendance"), methods(server.requests()),
                "the replay was not queued again");
        Resource absent = server.resources().stream().filter(r -> r.student().equals(LEARNER_B)).findFirst().orElseThrow();
        assertEquals("studentSchoolAttendanceEvents", absent.resource());
        assertEquals(SCHOOL_ID, absent.body().path("schoolReference").path("schoolId").asLong());
        JsonNode session = absent.body().path("sessionReference");
        assertEquals(SCHOOL_ID, session.path("schoolId").asLong());
        assertEquals(2027, session.path("schoolYear").asInt());
        assertEquals("2026-2027 Semester 1", session.path("sessionName").asText());
    }

    @Test
    void twoSessionsOfADayShareTheirEdfiRecordAndAChangeOfOneKeepsTheOther() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        // Ed-Fi's school attendance key has no session of the day: morning and afternoon present are one record
        outbox.accept(session(LEARNER_A, DAY, "morning", AttendanceCategory.PRESENT));
        outbox.accept(session(LEARNER_A, DAY, "afternoon", AttendanceCategory.PRESENT));
        awaitDelivered(2);
        outbox.accept(session(LEARNER_A, DAY, "afternoon", AttendanceCategory.LATE));
        awaitDelivered(3);

        assertEquals(List.of("POST 201 In Attendance", "POST 200 In Attendance", "POST 201 Tardy"), methods(server.requests()),
                "the morning's record still stands, so it is not deleted");
        assertEquals(Set.of("In Attendance", "Tardy"), Set.copyOf(server.resources().stream()
                .map(r -> r.descriptor().substring(r.descriptor().indexOf('#') + 1)).toList()));
    }

    @Test
    void anExpiredTokenIsReplacedOnceAndTheRequestRepeated() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        outbox.accept(period(LEARNER_A, "p1", AttendanceCategory.PRESENT));
        awaitDelivered(1);
        assertEquals(1, server.tokensIssued());
        server.expireTokens(); // revoked or lapsed on the server's side before our clock says so

        outbox.accept(period(LEARNER_A, "p2", AttendanceCategory.LATE));
        awaitDelivered(2);
        assertEquals(2, server.tokensIssued(), "one new token");
        assertEquals(1, server.unauthorized(), "one 401, then the same request again with the new token");
        EdfiDelivery second = edfi.delivery(2).orElseThrow();
        assertEquals(1, second.attempts(), "within one attempt");
        assertEquals(201, second.lastStatus());
    }

    @Test
    void aTokenIsRenewedBeforeItExpires() throws Exception {
        ManualClock clock = new ManualClock(System.currentTimeMillis());
        start(clock, Duration.ofSeconds(5));
        server.tokenSeconds(3600);
        outbox.accept(period(LEARNER_A, "p1", AttendanceCategory.PRESENT));
        awaitDelivered(1);
        clock.advance(60_000); // well inside the hour: the cached token is used
        outbox.accept(period(LEARNER_A, "p2", AttendanceCategory.PRESENT));
        awaitDelivered(2);
        assertEquals(1, server.tokensIssued());

        clock.advance(3_600_000 - 60_000 - 30_000); // 30 s before expiry: inside the margin, renewed first
        outbox.accept(period(LEARNER_A, "p3", AttendanceCategory.PRESENT));
        awaitDelivered(3);
        assertEquals(2, server.tokensIssued());
        assertEquals(0, server.unauthorized(), "never sent with a token about to lapse");
    }

    @Test
    void failuresAndTimeoutsAreRetriedLaterInOrderWithNothingLost() throws Exception {
        start(Clock.systemUTC(), Duration.ofMillis(700));
        server.failNext(500, 503);
        server.hangNext(1);
        List<AttendanceEvent> a = List.of(period(LEARNER_A, "p1", AttendanceCategory.PRESENT),
                period(LEARNER_A, "p1", AttendanceCategory.LATE),
                period(LEARNER_A, "p2", AttendanceCategory.EXCUSED_ABSENCE),
                session(LEARNER_A, DAY.plusDays(1), "morning", AttendanceCategory.UNEXCUSED_ABSENCE));
        List<AttendanceEvent> b = List.of(period(LEARNER_B, "p1", AttendanceCategory.UNEXCUSED_ABSENCE),
                period(LEARNER_B, "p1", AttendanceCategory.PRESENT));
        for (int i = 0; i < a.size(); i++) {
            outbox.accept(a.get(i));
            if (i < b.size()) {
                outbox.accept(b.get(i));
            }
        }
        awaitDelivered(6);

        assertEquals(List.of(), edfi.deadLetters(10));
        List<Request> answered = server.requests();
        assertEquals(List.of("POST 201 In Attendance", "DELETE 204 In Attendance", "POST 201 Tardy", "POST 201 Excused Absence",
                        "POST 201 Unexcused Absence"),
                methods(answered.stream().filter(r -> LEARNER_A.equals(r.studentUniqueId())).toList()),
                "learner A's events in the order they were decided");
        assertEquals(List.of("POST 201 Unexcused Absence", "DELETE 204 Unexcused Absence", "POST 201 In Attendance"),
                methods(answered.stream().filter(r -> LEARNER_B.equals(r.studentUniqueId())).toList()));
        assertEquals(4, server.resources().size(), "p1 late, p2 excused, next day's absence for A; p1 present for B");
        int attempts = 0;
        for (long s = 1; s <= 6; s++) {
            attempts += edfi.delivery(s).orElseThrow().attempts();
        }
        assertEquals(6 + 3, attempts, "two 500s and one timeout were each tried again");
    }

    @Test
    void whileTheApiIsDownOneRequestAtATimeProbesIt() throws Exception {
        start(Clock.systemUTC(), Duration.ofMillis(700));
        server.hangAll();
        long started = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            outbox.accept(period(String.format("0792010%05d", i), "p1", AttendanceCategory.PRESENT)); // eight lines
        }
        Poll.until(Duration.ofSeconds(30), "eight requests arrived", () -> server.received() >= 8);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // the first round is maxInFlight (4) at once; after it timed out, probes go one after the other, each
        // waiting out the 700 ms timeout of the one before: the 8th arrives 4 timeouts after the start at the
        // earliest (with four lines at a time it would arrive right after the first timeout)
        assertTrue(tookMillis >= 4 * 700 - 50, "8 requests within " + tookMillis + " ms: more than one probe at a time");
        assertEquals(0, delivered());
    }

    @Test
    void aRefusedOrUnmappableEventIsADeadLetterWithItsReasonAndTheLearnersNextEventsGoOn() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(5));
        server.refuseDescriptor("Excused Absence");
        outbox.accept(period(LEARNER_A, "p1", AttendanceCategory.EXCUSED_ABSENCE));
        outbox.accept(session(LEARNER_A, LocalDate.of(2027, 3, 1), "morning", AttendanceCategory.PRESENT)); // no term
        outbox.accept(period(LEARNER_A, "p2", AttendanceCategory.PRESENT));
        awaitDelivered(1);

        List<EdfiDelivery> dead = edfi.deadLetters(10);
        assertEquals(2, dead.size(), "two dead letters: " + dead);
        assertEquals(400, dead.get(0).lastStatus());
        assertEquals(1, dead.get(0).attempts(), "not retried: Ed-Fi refused the request itself");
        assertTrue(dead.get(0).lastError().contains("$.attendanceEventCategoryDescriptor"), dead.get(0).lastError());
        assertTrue(dead.get(0).lastError().contains("Excused Absence' does not exist"), dead.get(0).lastError());
        assertEquals(0, dead.get(1).lastStatus());
        assertTrue(dead.get(1).lastError().contains("no Ed-Fi term of school 'thcs-nguyen-du' covers 2027-03-01"),
                dead.get(1).lastError());

        // the district adds the descriptor: the dead letter is redelivered by hand and goes through
        server.acceptDescriptor("Excused Absence");
        assertTrue(edfi.redeliver(dead.get(0).seq(), System.currentTimeMillis()));
        dispatcher.wake();
        awaitDelivered(2);
        assertEquals(1, edfi.deadLetters(10).size());
    }

    @Test
    void aDeadEdfiServerDoesNotDelayAWebhook() throws Exception {
        start(Clock.systemUTC(), Duration.ofSeconds(10));
        server.hangAll();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/sms", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(ex.getRequestHeaders().getFirst("webhook-id"));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        webhooks.putSubscription(new WebhookSubscription("sms", URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/sms"), SCHOOL, Set.of("attendance.*"), null, List.of(WebhookSecret.parse(WebhookSecret.generate(new SecureRandom()))),
                null, 1L));
        webhookDispatcher = new WebhookDispatcher(webhooks, new RetrySchedule(100, 400, 60_000), Duration.ofSeconds(5), 16, 4,
                Clock.systemUTC(), new SimpleMeterRegistry());
        webhookDispatcher.start(50);

        List<AttendanceEvent> events = List.of(period(LEARNER_A, "p1", AttendanceCategory.PRESENT),
                period(LEARNER_B, "p1", AttendanceCategory.LATE), period(LEARNER_A, "p2", AttendanceCategory.PRESENT));
        long started = System.nanoTime();
        events.forEach(outbox::accept);
        Poll.until(Duration.ofSeconds(30), "the webhook has all three", () -> received.size() == 3);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(tookMillis < 5_000, "webhooks went out while Ed-Fi hung (10 s timeout), in " + tookMillis + " ms");
        // each once; a learner's events in order (docs/webhooks.md), different learners side by side
        assertEquals(Set.copyOf(events.stream().map(AttendanceEvent::eventId).toList()), Set.copyOf(received));
        assertEquals(3, received.size());
        assertEquals(List.of(events.get(0).eventId(), events.get(2).eventId()),
                received.stream().filter(id -> !id.equals(events.get(1).eventId())).toList(), "learner A's two events in order");
        assertEquals(0, delivered(), "Ed-Fi got nothing yet");
        assertTrue(edfi.delivery(1).orElseThrow().state() == WebhookDelivery.State.PENDING);
        String firstBody = null;
        for (String body : List.copyOf(bodies)) {
            if (JSON.readTree(body).path("data").path("eventId").asText().equals(events.get(0).eventId())) {
                firstBody = body;
            }
        }
        assertNotNull(firstBody, "the first event's body");
        JsonNode first = JSON.readTree(firstBody);
        assertEquals(AttendanceEvents.TYPE, first.path("type").asText());
        assertEquals(LEARNER_A, first.path("data").path("learnerId").asText());
        assertEquals("present", first.path("data").path("category").asText());
        assertEquals("p1", first.path("data").path("period").asText());
        assertEquals(events.get(0), AttendanceEvents.parse(firstBody), "the body reads back as the event");
    }
}

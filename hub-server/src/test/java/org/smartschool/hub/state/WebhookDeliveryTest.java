package org.smartschool.hub.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.forward.RetrySchedule;
import org.smartschool.hub.forward.WebhookDelivery;
import org.smartschool.hub.forward.WebhookDispatcher;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookStore;
import org.smartschool.hub.forward.WebhookSubscription;
import org.smartschool.hub.testsupport.CountingProxy;
import org.smartschool.hub.testsupport.ManualClock;
import org.smartschool.hub.testsupport.Poll;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Alarm steps forwarded to real HTTP endpoints (the JDK's HTTP server on loopback) that answer 200,
 * fail with 500, time out, or answer 410: nothing lost, each event under one id, order per school
 * kept, one dead endpoint does not hold up another.
 */
class WebhookDeliveryTest {
    private static final long T0 = 1_796_600_000_000L;
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;
    private StateDatabase db;
    private JdbcAlarmStore alarms;
    private JdbcWebhookStore webhooks;
    private WebhookDispatcher dispatcher;
    private HttpServer server;
    private final String secret = WebhookSecret.generate(new SecureRandom());
    /** Per endpoint path: the webhook ids received and accepted, in order. */
    private final Map<String, List<String>> accepted = new ConcurrentHashMap<>();
    private final Map<String, List<String>> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger flakyFailuresLeft = new AtomicInteger(2);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        db = StateDatabase.open(StateConfig.sqlite(dir.resolve("hub-state.db")));
        alarms = new JdbcAlarmStore(db, Clock.systemUTC());
        webhooks = new JdbcWebhookStore(db);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stuck request holds a thread
        server.createContext("/ok", ex -> answer(ex, "/ok", 200));
        server.createContext("/flaky", ex -> answer(ex, "/flaky", flakyFailuresLeft.getAndDecrement() > 0 ? 500 : 200));
        server.createContext("/gone", ex -> answer(ex, "/gone", 410));
        server.createContext("/stuck", ex -> {
            attempts.computeIfAbsent("/stuck", k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(ex.getRequestHeaders().getFirst("webhook-id"));
            try {
                releaseSlow.await(); // never answers within the dispatcher's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        releaseSlow.countDown();
        if (dispatcher != null) {
            dispatcher.close();
        }
        server.stop(0);
        db.close();
    }

    private void answer(HttpExchange ex, String path, int status) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String id = ex.getRequestHeaders().getFirst("webhook-id");
        attempts.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>())).add(id);
        try {
            Map<String, List<String>> headers = ex.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue, (a, b) -> a));
            new Webhook(secret).verify(new String(body, StandardCharsets.UTF_8), HttpHeaders.of(headers, (a, b) -> true));
        } catch (Exception e) {
            status = 401; // a bad signature is a test failure: it shows as a missing delivery
        }
        if (status == 200) {
            accepted.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>())).add(id);
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private void subscribe(String id, String path, String school) {
        webhooks.putSubscription(new WebhookSubscription(id, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                school, Set.of("alarm.*"), null, List.of(WebhookSecret.parse(secret)), null, T0));
    }

    private void startDispatcher(RetrySchedule schedule) {
        startDispatcher(schedule, Clock.systemUTC());
    }

    private void startDispatcher(RetrySchedule schedule, Clock clock) {
        dispatcher = new WebhookDispatcher(webhooks, schedule, Duration.ofMillis(800), 16, 4, clock,
                new SimpleMeterRegistry());
        dispatcher.start(50);
    }

    /** Raised, major, cleared: three steps of one alarm in room {@code room}. */
    private List<String> alarmLife(String school, String room) {
        String id = AlarmId.of(school, room + "/" + room + "-air", "co2", T0);
        List<AlarmTransition> life = List.of(
                new AlarmTransition(id, school, room, room + "-air", "co2", Kind.RAISED, Severity.WARNING, T0, T0, 1200, ""),
                new AlarmTransition(id, school, room, room + "-air", "co2", Kind.SEVERITY_CHANGED, Severity.MAJOR, T0,
                        T0 + MINUTE, 1600, ""),
                new AlarmTransition(id, school, room, room + "-air", "co2", Kind.CLEARED, Severity.MAJOR, T0,
                        T0 + 2 * MINUTE, 800, ""));
        life.forEach(alarms::apply);
        life.forEach(alarms::apply); // a gateway's replay: no second delivery
        return life.stream().map(t -> t.transitionId()).toList();
    }

    @Test
    void anIdlePollOnlyReadsAndAHeadWaitingForItsRetryIsNotDue() throws Exception {
        CountingProxy<WebhookStore> counting = new CountingProxy<>(WebhookStore.class, webhooks);
        dispatcher = new WebhookDispatcher(counting.proxy(), new RetrySchedule(60_000, 60_000, 3_600_000), Duration.ofMillis(800),
                16, 4, Clock.systemUTC(), new SimpleMeterRegistry());
        dispatcher.start(10);
        Poll.until(Duration.ofSeconds(30), "ten idle polls",
                () -> counting.calls("anyDue") + counting.calls("claimDue") >= 10);
        assertEquals(0, counting.calls("claimDue"), "no write transaction while nothing is due");

        // the first step fails and waits a minute; the two behind it are queued but not due before it
        flakyFailuresLeft.set(1);
        subscribe("sms-flaky", "/flaky", null);
        alarmLife("s1", "r101");
        Poll.until(Duration.ofSeconds(30), "the first attempt failed", () -> webhooks.delivery(1).orElseThrow().attempts() == 1);
        int claims = counting.calls("claimDue");
        int polls = counting.calls("anyDue") + claims;
        Poll.until(Duration.ofSeconds(30), "ten more polls", () -> counting.calls("anyDue") + counting.calls("claimDue") >= polls + 10);
        assertEquals(claims, counting.calls("claimDue"), "the line waits for its head: still no write transaction");
        assertEquals(List.of(attempts.get("/flaky").get(0)), attempts.get("/flaky"), "nothing else was sent meanwhile");
    }

    @Test
    void everyStepArrivesOnceSignedAndInOrderThroughFailures() throws Exception {
        subscribe("sms-ok", "/ok", null);
        subscribe("sms-flaky", "/flaky", "s1");
        startDispatcher(new RetrySchedule(100, 400, 60_000));
        List<String> s1 = alarmLife("s1", "r101");
        List<String> s2 = alarmLife("s2", "r201");
        Poll.until(Duration.ofSeconds(30), "all steps delivered", () ->
                accepted.getOrDefault("/ok", List.of()).size() == 6 && accepted.getOrDefault("/flaky", List.of()).size() == 3);
        List<String> ok = accepted.get("/ok");
        assertEquals(s1, ok.stream().filter(s1::contains).toList(), "school s1 in order");
        assertEquals(s2, ok.stream().filter(s2::contains).toList(), "school s2 in order");
        assertEquals(s1, accepted.get("/flaky"), "the school-only subscription gets its school, in order, after 2 failures");
        assertEquals(List.of(s1.get(0), s1.get(0), s1.get(0), s1.get(1), s1.get(2)), attempts.get("/flaky"),
                "the first event tried three times under one id; the later ones waited for it");
    }

    @Test
    void aStuckEndpointHoldsUpNobodyElse() throws Exception {
        subscribe("sms-stuck", "/stuck", null);
        subscribe("sms-ok", "/ok", null);
        startDispatcher(new RetrySchedule(100, 400, 60_000));
        List<String> s1 = alarmLife("s1", "r101");
        Poll.until(Duration.ofSeconds(30), "the healthy endpoint has all three", () ->
                accepted.getOrDefault("/ok", List.of()).size() == 3);
        assertEquals(s1, accepted.get("/ok"));
        Poll.until(Duration.ofSeconds(30), "the stuck one was tried again after its timeout", () ->
                attempts.getOrDefault("/stuck", List.of()).size() >= 2);
        assertTrue(attempts.get("/stuck").stream().allMatch(s1.get(0)::equals), "only its first event, again: " + attempts.get("/stuck"));
    }

    /**
     * Verifies that a claim takes deliveries beyond the endpoint's places and that they reach it while the pump waits
     * for the state database (as when ingest holds its writer): each request that ends hands its place to the next
     * delivery claimed, never more than {@code perSubscription} at the endpoint at once; once the database is free
     * again every outcome is recorded, each delivery sent once.
     */
    @Test
    void deliveriesClaimedAheadReachTheEndpointWhileThePumpWaitsForTheDatabase() throws Exception {
        AtomicInteger atOnce = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        server.createContext("/slow", ex -> {
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30); // a slow endpoint: requests under way overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            atOnce.decrementAndGet();
            answer(ex, "/slow", 200);
        });
        subscribe("sms-slow", "/slow", null);
        List<String> raised = new ArrayList<>();
        for (int s = 1; s <= 16; s++) { // 16 schools' alarms: 16 lines, each head due at once
            AlarmTransition t = new AlarmTransition(AlarmId.of("s" + s, "r101/r101-air", "co2", T0), "s" + s, "r101",
                    "r101-air", "co2", Kind.RAISED, Severity.WARNING, T0, T0, 1200, "");
            alarms.apply(t);
            raised.add(t.transitionId());
        }
        // after its first claim, the pump's write transactions wait until the test frees the database
        CountDownLatch databaseFree = new CountDownLatch(1);
        AtomicInteger claims = new AtomicInteger();
        AtomicInteger waitingForTheDatabase = new AtomicInteger();
        WebhookStore busy = (WebhookStore) java.lang.reflect.Proxy.newProxyInstance(WebhookStore.class.getClassLoader(),
                new Class<?>[] {WebhookStore.class}, (proxy, method, args) -> {
                    if ((method.getName().equals("claimDue") || method.getName().equals("settleAndClaim"))
                            && claims.getAndIncrement() > 0) {
                        waitingForTheDatabase.incrementAndGet();
                        databaseFree.await();
                    }
                    try {
                        return method.invoke(webhooks, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        dispatcher = new WebhookDispatcher(busy, new RetrySchedule(100, 400, 60_000), Duration.ofSeconds(5), 16, 4,
                Clock.systemUTC(), new SimpleMeterRegistry());
        try {
            dispatcher.start(20);
            Poll.until(Duration.ofSeconds(30), "the pump waiting for the database after its first claim",
                    () -> waitingForTheDatabase.get() > 0);
            Poll.until(Duration.ofSeconds(30), "all 16 at the endpoint while the pump waits",
                    () -> accepted.getOrDefault("/slow", List.of()).size() == 16);
            assertEquals(1, waitingForTheDatabase.get(), "one round, still waiting: the deliveries went without it");
            assertTrue(mostAtOnce.get() <= 4, "at most perSubscription requests at once, saw " + mostAtOnce.get());
        } finally {
            databaseFree.countDown();
        }
        Poll.until(Duration.ofSeconds(30), "every outcome recorded", () -> java.util.stream.LongStream.rangeClosed(1, 16)
                .allMatch(seq -> webhooks.delivery(seq).orElseThrow().state() == WebhookDelivery.State.DELIVERED));
        assertEquals(Set.copyOf(raised), Set.copyOf(accepted.get("/slow")));
        assertEquals(16, attempts.get("/slow").size(), "each sent once");
    }

    @Test
    void goneDisablesTheSubscriptionAndGivingUpMakesADeadLetterThatCanBeRedelivered() throws Exception {
        ManualClock clock = new ManualClock(System.currentTimeMillis()); // near real time: receivers check the timestamp
        alarms = new JdbcAlarmStore(db, clock);
        subscribe("sms-gone", "/gone", null);
        subscribe("sms-flaky", "/flaky", null);
        flakyFailuresLeft.set(3); // down for exactly the first event's three attempts
        startDispatcher(new RetrySchedule(50, 100, 700), clock);
        List<String> s1 = alarmLife("s1", "r101");
        Poll.until(Duration.ofSeconds(30), "the 410 disabled its subscription",
                () -> webhooks.subscription("sms-gone").orElseThrow().disabledReason() != null);
        assertTrue(webhooks.subscription("sms-gone").orElseThrow().disabledReason().contains("410 Gone"));
        assertEquals(List.of(s1.get(0)), attempts.get("/gone"), "asked once, then left alone");

        // deliveries are queued per subscription in id order: sms-flaky's copy of the first event is seq 1
        Poll.until(Duration.ofSeconds(30), "the first attempt recorded", () -> webhooks.delivery(1).orElseThrow().attempts() == 1);
        clock.advance(200); // past the first wait (25-50 ms), well inside the 700 ms
        Poll.until(Duration.ofSeconds(30), "a second attempt recorded", () -> webhooks.delivery(1).orElseThrow().attempts() == 2);
        assertEquals(List.of(), webhooks.deadLetters(10), "not given up inside its time");
        clock.advance(600);
        Poll.until(Duration.ofSeconds(30), "a dead letter once its time is up", () -> !webhooks.deadLetters(10).isEmpty());
        WebhookDelivery deadLetter = webhooks.deadLetters(10).get(0);
        assertEquals(s1.get(0), deadLetter.webhookId());
        assertEquals(500, deadLetter.lastStatus());
        assertEquals(3, deadLetter.attempts());
        assertEquals(List.of(s1.get(0), s1.get(0), s1.get(0)), List.copyOf(attempts.get("/flaky")).subList(0, 3),
                "the later events waited for the first to be given up");

        // the SMS is back: the events behind the dead one go through
        Poll.until(Duration.ofSeconds(30), "the next events go through once the dead one is out of the way",
                () -> accepted.getOrDefault("/flaky", List.of()).containsAll(s1.subList(1, 3)));
        assertTrue(webhooks.redeliver(deadLetter.seq(), clock.millis()));
        Poll.until(Duration.ofSeconds(30), "the dead letter redelivered",
                () -> accepted.get("/flaky").contains(s1.get(0)));
        assertEquals(List.of(s1.get(1), s1.get(2), s1.get(0)), accepted.get("/flaky"), "each event once");
    }
}

package org.smartschool.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.attendance.AttendanceCounters;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.GatewayConfig.NorthSettings;
import org.smartschool.gateway.config.GatewayConfig.OutboxSettings;
import org.smartschool.gateway.config.GatewayConfig.SouthSettings;
import org.smartschool.gateway.config.GatewayConfig.UplinkSettings;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookSignature;
import org.smartschool.hub.roster.RosterExamples;
import org.smartschool.hub.testsupport.GeneratedRoster;
import org.smartschool.hub.testsupport.GeneratedRoster.Learner;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestAuth;

/**
 * Issue 9's required test: a simulated school morning of 1,000 learners at 30 classroom doors, every part real
 * (the hub on its SQLite state, the school's gateway on the real Mosquitto, 30 door readers publishing card taps
 * with the card-reader codec's frames and reading their answers, the SMS a real HTTP server subscribed through the
 * API), the gateway's clock running the morning from 06:50 school time in seconds, and its uplink to the hub cut
 * for 20 minutes of that clock (07:02-07:22) while taps are decided, the gateway restarts and the absence cut-off
 * (07:20) passes. The SMS gets exactly the expected set of (learner, date, session, category), each under the key
 * the docs derive (computed here from the school's card key), the same in the hub's ledger; unknown and revoked
 * cards are answered red at the door, counted by the gateway and reported to the hub with every other tap.
 */
@Timeout(value = 110, unit = TimeUnit.SECONDS)
class AttendanceOutageTest {
    private static final Logger LOG = LoggerFactory.getLogger(AttendanceOutageTest.class);
    private static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final LocalDate DAY = LocalDate.now(ZONE);
    private static final int LEARNERS = 1000;
    private static final int DOORS = 30;
    private static final int UNKNOWN_CARDS_PER_WAVE = 10;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(20);
    private static final Set<String> GREEN = Set.of("present", "late", "duplicate");

    @TempDir
    Path dir;
    private final String run = "outage-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /**
     * The gateway's clock at the school: set by the test from one moment of the morning to the next, and a
     * millisecond on at each reading, so that two taps at one door are never stamped with one instant (a tap's
     * event id is derived from its door and time, as a reader cannot take two cards in one millisecond).
     */
    private final AtomicLong clock = new AtomicLong(at("06:50"));
    private Vertx vertx;
    private Hub hub;
    private TcpProxy north;
    private String broker;
    private Sms sms;
    private final Map<Gateway, SimpleMeterRegistry> meters = new HashMap<>();

    /** How a learner's morning goes. */
    private enum Fate { PRESENT_BEFORE_OUTAGE, PRESENT_DURING_OUTAGE, LATE, ABSENT, ABSENT_THEN_LATE }

    private static Fate fate(Learner l) {
        int i = l.index();
        if (i % 100 == 13) {
            return Fate.ABSENT_THEN_LATE;
        }
        if (i % 20 == 7) {
            return Fate.ABSENT;
        }
        if (i % 10 == 3) {
            return Fate.LATE;
        }
        return i % 2 == 0 ? Fate.PRESENT_BEFORE_OUTAGE : Fate.PRESENT_DURING_OUTAGE;
    }

    /** A learner who taps a second time right after the first (answered as the first, counted as a duplicate). */
    private static boolean tapsTwice(Learner l) {
        return l.index() % 100 == 21;
    }

    /** Epoch ms of {@code hh:mm} on {@link #DAY} at the school. */
    private static long at(String hhmm) {
        return DAY.atTime(LocalTime.parse(hhmm)).atZone(ZONE).toInstant().toEpochMilli();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", toClose.get(i), e.toString());
            }
        }
        if (vertx != null) {
            HubFixture.await(vertx.close());
        }
    }

    /**
     * Verifies the morning end to end: every door answered at once (green or red) while the hub was unreachable;
     * the SMS received present for on-time taps, late for late ones, unexcused absence for learners who never
     * tapped, and an absence followed by a late for those who tapped after the cut-off, each decision under the
     * key derived from (learner, date, class, session, category) with the school's key, none twice with other
     * content, nothing else (proved after a last tap's webhook came through the same path); the hub's ledger
     * holds the same keys; every tap, refused ones too, is at the hub once with its outcome; the gateway's
     * counters, also as the hub last received them, count each outcome.
     */
    @Test
    void aMorningWithATwentyMinuteOutageReachesTheSmsExactlyOnceWithStableKeys() throws Exception {
        broker = TestBroker.mqttUrl();
        GeneratedRoster roster = GeneratedRoster.of(SCHOOL_1, LEARNERS, DOORS, DAY, 50);
        startHub(roster);
        Http http = Http.admin(hub);
        importRoster(roster);
        sms = new Sms();
        toClose.add(sms);
        Http.Response subscribed = http.send("POST", "/api/v1/webhooks", new JsonObject().put("id", "sms-" + run)
                .put("url", sms.url()).put("school", SCHOOL_1).put("events", new JsonArray().add("attendance.*")).encode());
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
        sms.secret = WebhookSecret.parse(subscribed.json().getString("secret"));

        // 06:50 at the school: the gateway starts and gets the roster's hashes from the hub over its uplink
        north.up();
        Gateway gateway = startGateway();
        Poll.until(WAIT, "the roster in force at the gateway", () -> gateway.attendance().on()
                && gateway.attendance().plan().learners().size() == LEARNERS);
        byte[] cardKey = hub.rosters().store().cardKey(SCHOOL_1).orElseThrow().secret();
        assertThat(gateway.attendance().plan().cardKey().secret()).isEqualTo(cardKey);
        Map<String, Door> doors = new LinkedHashMap<>();
        for (String room : roster.rooms()) {
            Door door = new Door(room);
            toClose.add(door);
            doors.put(room, door);
        }

        List<Learner> learners = roster.learners();
        Map<String, Integer> outcomes = new TreeMap<>(); // every tap's outcome, as the doors were answered
        List<Tapped> tapped = new ArrayList<>();

        // 06:55: half of the on-time learners, and visitors' cards, with the link up
        clock.set(at("06:55"));
        List<Tap> waveA = new ArrayList<>();
        learners.stream().filter(l -> fate(l) == Fate.PRESENT_BEFORE_OUTAGE).forEach(l -> waveA.add(new Tap(l, l.uid(), "present")));
        for (int n = 0; n < UNKNOWN_CARDS_PER_WAVE; n++) {
            waveA.add(new Tap(null, GeneratedRoster.unknownUid(n), "unknown_card", roster.rooms().get(n * 3 % DOORS)));
        }
        tapped.addAll(wave(doors, waveA));

        // 07:02: the school's internet goes down for 20 minutes
        clock.set(at("07:02"));
        north.down();
        Poll.until(WAIT, "the gateway offline", () -> !gateway.status().northConnected());
        // what the hub had taken before the cut goes on to the SMS; nothing decided from here on may reach it
        Set<String> decidedBeforeTheCut = learners.stream().filter(l -> fate(l) == Fate.PRESENT_BEFORE_OUTAGE)
                .map(l -> key(cardKey, l, "present")).collect(Collectors.toSet());

        // 07:05: the other on-time learners; lost cards tapped before the new ones; some tap twice; more visitors
        clock.set(at("07:05"));
        List<Tap> waveB = new ArrayList<>();
        for (Learner l : learners) {
            if (fate(l) != Fate.PRESENT_DURING_OUTAGE) {
                continue;
            }
            if (l.revokedUid() != null) {
                waveB.add(new Tap(l, l.revokedUid(), "revoked_card"));
            }
            waveB.add(new Tap(l, l.uid(), "present"));
            if (tapsTwice(l)) {
                waveB.add(new Tap(l, l.uid(), "duplicate"));
            }
        }
        for (int n = UNKNOWN_CARDS_PER_WAVE; n < 2 * UNKNOWN_CARDS_PER_WAVE; n++) {
            waveB.add(new Tap(null, GeneratedRoster.unknownUid(n), "unknown_card", roster.rooms().get(n * 7 % DOORS)));
        }
        tapped.addAll(wave(doors, waveB));

        // 07:14: after the grace (07:10), the late learners
        clock.set(at("07:14"));
        List<Tap> waveC = learners.stream().filter(l -> fate(l) == Fate.LATE).map(l -> new Tap(l, l.uid(), "late")).toList();
        tapped.addAll(wave(doors, waveC));

        // 07:16: the gateway restarts, still offline: it goes on from the decisions in its outbox file
        AttendanceCounters first = gateway.attendance().counters();
        gateway.close();
        clock.set(at("07:16"));
        Gateway restarted = startGateway();
        assertThat(restarted.attendance().on()).as("the plan it stored").isTrue();
        Learner early = learners.get(0);
        assertThat(fate(early)).isEqualTo(Fate.PRESENT_BEFORE_OUTAGE);
        tapped.addAll(wave(doors, List.of(new Tap(early, early.uid(), "duplicate")))); // decided before the restart

        // 07:21: past the cut-off (07:20), decided on the gateway's clock while offline
        clock.set(at("07:21"));
        long absent = learners.stream().filter(l -> fate(l) == Fate.ABSENT || fate(l) == Fate.ABSENT_THEN_LATE).count();
        Poll.until(WAIT, absent + " absences at the cut-off", () -> restarted.attendance().counters().unexcusedAbsences() == absent);
        // and then some of them come: late, replacing their absence
        List<Tap> waveD = learners.stream().filter(l -> fate(l) == Fate.ABSENT_THEN_LATE).map(l -> new Tap(l, l.uid(), "late")).toList();
        tapped.addAll(wave(doors, waveD));
        assertThat(decidedBeforeTheCut).as("nothing decided offline reached the SMS")
                .containsAll(sms.distinct().keySet());
        int deliveredBeforeTheLinkCameBack = sms.distinct().size();
        assertThat(restarted.status().batchesSent()).isZero();

        // 07:22: the link is back; the outbox goes to the hub, the hub to the SMS
        clock.set(at("07:22"));
        north.up();
        Map<String, Mark> expected = new HashMap<>();
        for (Learner l : learners) {
            switch (fate(l)) {
                case PRESENT_BEFORE_OUTAGE, PRESENT_DURING_OUTAGE -> expect(expected, cardKey, l, "present");
                case LATE -> expect(expected, cardKey, l, "late");
                case ABSENT -> expect(expected, cardKey, l, "unexcused_absence");
                case ABSENT_THEN_LATE -> {
                    expect(expected, cardKey, l, "unexcused_absence");
                    expect(expected, cardKey, l, "late");
                }
            }
        }
        Poll.until(Duration.ofSeconds(60), expected.size() + " decisions at the SMS",
                () -> sms.distinct().keySet().containsAll(expected.keySet()));
        Poll.until(WAIT, "the gateway's outbox sent", () -> restarted.outbox().size() == 0);

        // 07:40: one more absent learner comes; its webhook, through the same path, proves it live for the check below
        clock.set(at("07:40"));
        Learner last = learners.stream().filter(l -> fate(l) == Fate.ABSENT).findFirst().orElseThrow();
        tapped.addAll(wave(doors, List.of(new Tap(last, last.uid(), "late"))));
        String lastKey = expect(expected, cardKey, last, "late");
        Poll.until(WAIT, "the last late learner at the SMS", () -> sms.distinct().containsKey(lastKey));
        Poll.until(WAIT, "every delivery the hub made settled", () -> http.metric(
                "hub_webhook_deliveries_total{outcome=\"delivered\"}") >= sms.answered.get());

        // the SMS: exactly the expected set, each under its derived key, none twice with other content
        Map<String, Mark> got = sms.distinct();
        assertThat(sms.badSignatures.get()).as("requests whose signature did not verify").isZero();
        assertThat(sms.conflicts).as("keys delivered again with other content").isEmpty();
        assertThat(got).isEqualTo(expected);
        LOG.info("SMS: {} decisions in {} requests ({} repeated by at-least-once delivery), {} before the link came back",
                got.size(), sms.answered.get(), sms.answered.get() - got.size(), deliveredBeforeTheLinkCameBack);

        // the hub's ledger: each learner's decision in force now, under the same keys
        JsonObject day = http.get("/api/v1/attendance?school=" + SCHOOL_1 + "&date=" + DAY).json();
        Map<String, String> inForce = new TreeMap<>();
        for (Object o : day.getJsonArray("records")) {
            JsonObject r = (JsonObject) o;
            inForce.put(r.getString("learnerId"), r.getString("eventId"));
        }
        Map<String, String> lastDecision = new TreeMap<>();
        for (Learner l : learners) {
            Fate f = fate(l);
            String category = l == last || f == Fate.LATE || f == Fate.ABSENT_THEN_LATE ? "late"
                    : f == Fate.ABSENT ? "unexcused_absence" : "present";
            lastDecision.put(l.id(), key(cardKey, l, category));
        }
        assertThat(inForce).isEqualTo(lastDecision);
        Map<String, Integer> totals = new TreeMap<>();
        for (Object o : day.getJsonArray("classes")) {
            JsonObject c = (JsonObject) o;
            for (String category : List.of("present", "late", "excused_absence", "unexcused_absence")) {
                totals.merge(category, c.getInteger(category), Integer::sum);
            }
        }
        long onTime = learners.stream().filter(l -> fate(l) == Fate.PRESENT_BEFORE_OUTAGE || fate(l) == Fate.PRESENT_DURING_OUTAGE).count();
        long late = learners.stream().filter(l -> fate(l) == Fate.LATE || fate(l) == Fate.ABSENT_THEN_LATE).count() + 1;
        assertThat(totals).containsExactlyInAnyOrderEntriesOf(Map.of("present", (int) onTime, "late", (int) late,
                "excused_absence", 0, "unexcused_absence", LEARNERS - (int) onTime - (int) late));

        // the doors: each answered as decided, red for lost and unknown cards
        tapped.forEach(t -> outcomes.merge(t.outcome(), 1, Integer::sum));
        int revoked = (int) learners.stream().filter(l -> fate(l) == Fate.PRESENT_DURING_OUTAGE && l.revokedUid() != null).count();
        int twice = (int) learners.stream().filter(l -> fate(l) == Fate.PRESENT_DURING_OUTAGE && tapsTwice(l)).count();
        assertThat(revoked).isPositive();
        assertThat(twice).isPositive();
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("present", (int) onTime, "late", (int) late,
                "duplicate", twice + 1, "revoked_card", revoked, "unknown_card", 2 * UNKNOWN_CARDS_PER_WAVE));

        // the gateway's counters: the first process's, and the restarted one's (counters start again with a process)
        assertThat(first.taps()).isEqualTo(waveA.size() + waveB.size() + waveC.size());
        assertThat(first.present()).isEqualTo(onTime);
        assertThat(first.late()).isEqualTo(waveC.size());
        assertThat(first.revokedCards()).isEqualTo(revoked);
        assertThat(first.unknownCards()).isEqualTo(2 * UNKNOWN_CARDS_PER_WAVE);
        assertThat(first.duplicates()).isEqualTo(twice);
        assertThat(first.unexcusedAbsences()).isZero();
        assertThat(meters.get(gateway).get("gateway_attendance_revoked_cards").functionCounter().count()).isEqualTo(revoked);
        assertThat(meters.get(gateway).get("gateway_attendance_unknown_cards").functionCounter().count())
                .isEqualTo(2 * UNKNOWN_CARDS_PER_WAVE);
        AttendanceCounters second = restarted.attendance().counters();
        assertThat(second.taps()).isEqualTo(1 + waveD.size() + 1);
        assertThat(second.duplicates()).isEqualTo(1);
        assertThat(second.late()).isEqualTo(waveD.size() + 1);
        assertThat(second.unexcusedAbsences()).isEqualTo(absent);
        assertThat(second.unknownCards() + second.revokedCards() + second.present()).isZero();

        // the hub: every tap once, with its outcome and without its card; the gateway's counters as last reported
        Map<String, String> tapsAtHub = tapsAtTheHub();
        Map<String, String> answeredTaps = new TreeMap<>();
        tapped.forEach(t -> answeredTaps.put(t.tapId(), t.outcome()));
        assertThat(answeredTaps).hasSize(tapped.size());
        assertThat(tapsAtHub).isEqualTo(answeredTaps);
        Poll.until(WAIT, "the restarted gateway's counters at the hub",
                () -> reportedCounters().getLong("attendance_taps", -1L) == second.taps());
        JsonObject reported = reportedCounters();
        assertThat(reported.getLong("attendance_unexcused_absences")).isEqualTo(absent);
        assertThat(reported.getLong("attendance_late")).isEqualTo(second.late());
        assertThat(reported.getLong("attendance_duplicates")).isEqualTo(1L);
    }

    private void startHub(GeneratedRoster roster) throws Exception {
        vertx = Vertx.vertx();
        Path inventory = roster.writeInventory(dir, "THCS Nguyễn Du", GATEWAY_1);
        HubConfig config = HubFixture.config(dir).withMqtt(new MqttConfig("127.0.0.1", 0, MqttConfig.ONE_MIB))
                .withRegistry(new RegistryConfig(inventory.toString(), ""));
        hub = HubFixture.start(vertx, config);
        toClose.add(() -> HubFixture.await(hub.close()));
        north = new TcpProxy("tcp://127.0.0.1:" + hub.mqttPort());
        toClose.add(north);
    }

    private void importRoster(GeneratedRoster roster) throws Exception {
        HttpResponse<String> imported = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/v1/schools/" + SCHOOL_1 + "/roster?format=csv"))
                .header("Content-Type", "application/zip").header("Authorization", "Bearer " + TestAuth.adminToken(hub))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(RosterExamples.zip(roster.csvFiles()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(new JsonObject(imported.body()).getInteger("learners")).isEqualTo(LEARNERS);
    }

    private Gateway startGateway() throws Exception {
        GatewayConfig config = new GatewayConfig(GATEWAY_1, SCHOOL_1,
                SouthSettings.defaults().withUrl(broker)
                        .withRoutes(List.of(new TopicRoute("door-" + run + "/{room}/{device}", "card-reader")))
                        .withClientId("gw-" + run),
                new NorthSettings(north.url(), SECRET_1),
                new OutboxSettings(dir.resolve("outbox.db").toString(), 100_000, 1_000),
                new UplinkSettings(500, 100, 100, 1_000, 1_000, 5_000));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Gateway gateway = Gateway.start(config, CodecRegistry.standard(), registry, clock::getAndIncrement);
        meters.put(gateway, registry);
        toClose.add(gateway);
        Poll.until(WAIT, "the gateway subscribed to the school's broker", gateway::southSubscribed);
        return gateway;
    }

    /** The idempotency key of a decision as docs/protocol.md derives it, entered in {@code expected}. */
    private static String expect(Map<String, Mark> expected, byte[] cardKey, Learner l, String category) {
        String key = key(cardKey, l, category);
        assertThat(expected.put(key, new Mark(l.id(), l.classId(), DAY.toString(), "morning", category)))
                .as("two decisions under one key").isNull();
        return key;
    }

    /** {@code att-} + base64url(HMAC-SHA256(cardKey, learner|date|class|session|period|category)), period empty. */
    private static String key(byte[] cardKey, Learner l, String category) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cardKey, "HmacSHA256"));
            byte[] digest = mac.doFinal(String.join("|", l.id(), DAY.toString(), l.classId(), "morning", "", category)
                    .getBytes(StandardCharsets.UTF_8));
            return "att-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The taps, each door's in turn as a reader takes one card at a time, the 30 doors side by side; every answer
     * checked against what the tap should get.
     */
    private List<Tapped> wave(Map<String, Door> doors, List<Tap> taps) throws Exception {
        Map<String, List<Tap>> byDoor = taps.stream().collect(Collectors.groupingBy(Tap::room, LinkedHashMap::new, Collectors.toList()));
        ExecutorService readers = Executors.newFixedThreadPool(DOORS);
        try {
            List<Future<List<Tapped>>> running = new ArrayList<>();
            for (Map.Entry<String, List<Tap>> e : byDoor.entrySet()) {
                Door door = doors.get(e.getKey());
                running.add(readers.submit(() -> {
                    List<Tapped> out = new ArrayList<>();
                    for (Tap tap : e.getValue()) {
                        out.add(door.tap(tap));
                    }
                    return out;
                }));
            }
            List<Tapped> out = new ArrayList<>();
            for (Future<List<Tapped>> f : running) {
                out.addAll(f.get(WAIT.toSeconds() + ANSWER_WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            List<String> wrong = out.stream().filter(t -> !t.outcome().equals(t.tap().expected())
                            || !t.answer().equals(GREEN.contains(t.tap().expected()) ? "green" : "red"))
                    .map(t -> t.tap().describe() + " answered " + t.answer() + "/" + t.outcome()).limit(10).toList();
            assertThat(wrong).as("answers not as decided at " + java.time.Instant.ofEpochMilli(clock.get())).isEmpty();
            return out;
        } finally {
            readers.shutdownNow();
        }
    }

    /** Card taps in the hub's time-series store: event id -> outcome; none may carry its card. */
    private Map<String, String> tapsAtTheHub() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hub.config().store().path());
             PreparedStatement st = c.prepareStatement("SELECT id, attributes FROM events WHERE school = ? AND type = 'card_tap'")) {
            st.setString(1, SCHOOL_1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    JsonObject attributes = new JsonObject(rs.getString(2));
                    assertThat(attributes.fieldNames()).doesNotContain("uid", "card_number", "card_hash");
                    assertThat(out.put(rs.getString(1), attributes.getString("attendance"))).isNull();
                }
            }
        }
        return out;
    }

    /** The counters of the gateway's last health report, as the hub recorded it in its state database. */
    private JsonObject reportedCounters() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub-state.db"));
             PreparedStatement st = c.prepareStatement("SELECT last_health FROM hub_gateway_status WHERE gateway = ?")) {
            st.setString(1, GATEWAY_1);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return new JsonObject();
                }
                JsonObject counters = new JsonObject(rs.getString(1)).getJsonObject("counters");
                return counters == null ? new JsonObject() : counters;
            }
        }
    }

    /** A card at a door: the learner's (null for a visitor's card), its UID, the outcome it should get. */
    private record Tap(Learner learner, String uid, String expected, String room) {
        Tap(Learner learner, String uid, String expected) {
            this(learner, uid, expected, learner.room());
        }

        String describe() {
            return (learner == null ? "a visitor's card" : "learner #" + learner.index()) + " at " + room + " (expected " + expected + ")";
        }
    }

    /** A tap and the door's answer: {@code green}/{@code red}, the outcome and the tap's event id. */
    private record Tapped(Tap tap, String answer, String outcome, String tapId) {
    }

    /** What the SMS learns of one decision. */
    private record Mark(String learnerId, String classId, String date, String session, String category) {
    }

    /** A door reader on the school's broker: publishes a card's UID as RC522 firmware prints it, reads the answer. */
    private final class Door implements AutoCloseable {
        private final String topic;
        private final MqttClient client;
        private final BlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();

        Door(String room) throws Exception {
            this.topic = "door-" + run + "/" + room + "/reader-" + room;
            this.client = new MqttClient(broker, "door-" + run + "-" + room, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.subscribe(topic + "/answer", 0, (t, m) -> answers.add(m.getPayload()));
        }

        Tapped tap(Tap tap) throws Exception {
            client.publish(topic, tap.uid().getBytes(StandardCharsets.US_ASCII), 1, false);
            byte[] answer = answers.poll(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new AssertionError("no answer within " + ANSWER_WAIT.toSeconds() + " s for " + tap.describe());
            }
            JsonObject a = new JsonObject(new String(answer, StandardCharsets.UTF_8));
            return new Tapped(tap, a.getString("answer"), a.getString("outcome"), a.getString("tap"));
        }

        @Override
        public void close() throws Exception {
            try {
                client.disconnect();
            } finally {
                client.close();
            }
        }
    }

    /**
     * The school management system: a real HTTP server that checks each request's Standard Webhooks signature
     * with the subscription's secret and keeps each event id once (a request repeated by at-least-once delivery
     * is counted; one with other content under a seen id is a conflict).
     */
    private static final class Sms implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, Mark> received = new ConcurrentHashMap<>();
        private final List<String> conflicts = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicInteger badSignatures = new AtomicInteger();
        private volatile WebhookSecret secret;

        Sms() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/sms", ex -> {
                try {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    String id = ex.getRequestHeaders().getFirst(WebhookSignature.ID);
                    String timestamp = ex.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP);
                    String signature = ex.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE);
                    if (!verified(id, timestamp, signature, body)) {
                        badSignatures.incrementAndGet();
                        ex.sendResponseHeaders(401, -1);
                        return;
                    }
                    JsonObject event = new JsonObject(new String(body, StandardCharsets.UTF_8));
                    JsonObject data = event.getJsonObject("data");
                    Mark mark = new Mark(data.getString("learnerId"), data.getString("classId"), data.getString("date"),
                            data.getString("session"), data.getString("category"));
                    if (!"attendance.recorded".equals(event.getString("type")) || !id.equals(data.getString("eventId"))
                            || data.getString("period") != null || !SCHOOL_1.equals(data.getString("school"))) {
                        conflicts.add(id + ": not an attendance decision of the school under its own id");
                    }
                    Mark before = received.putIfAbsent(id, mark);
                    if (before != null && !before.equals(mark)) {
                        conflicts.add(id + ": " + before.category() + " then " + mark.category());
                    }
                    answered.incrementAndGet();
                    ex.sendResponseHeaders(204, -1);
                } catch (RuntimeException e) {
                    conflicts.add("unreadable request: " + e);
                    ex.sendResponseHeaders(400, -1);
                } finally {
                    ex.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
        }

        Map<String, Mark> distinct() {
            return new HashMap<>(received);
        }

        /** As docs/webhooks.md tells the SMS: the signature over id.timestamp.body, the timestamp within 5 minutes. */
        private boolean verified(String id, String timestamp, String signature, byte[] body) {
            if (id == null || timestamp == null || signature == null || secret == null) {
                return false;
            }
            long sent = Long.parseLong(timestamp);
            if (Math.abs(System.currentTimeMillis() / 1000 - sent) > 300) {
                return false;
            }
            byte[] expected = WebhookSignature.headers(id, sent, body, List.of(secret)).get(WebhookSignature.SIGNATURE)
                    .getBytes(StandardCharsets.US_ASCII);
            for (String s : signature.split(" ")) {
                if (MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

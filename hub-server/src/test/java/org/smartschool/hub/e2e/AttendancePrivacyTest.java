package org.smartschool.hub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

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
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.store.SqliteTimeSeriesStore;
import org.smartschool.hub.store.TimeSeriesStore;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.CapturedLog;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.StoreContents;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * Issue 9's privacy scan: after a simulated school morning (card taps and attendance decisions in batches from a
 * real gateway connection, a replayed batch, a bad event, teachers' corrections through the API), no learner's id,
 * card uid or card hash is in the hub's log output, its {@code /metrics}, or anywhere in the time-series store
 * (every table of the SQLite file and its raw bytes; every measurement of every retention policy in InfluxDB).
 * And the positive: the counts are in the API and in the store, and the SMS's webhook got every decision, once,
 * with its learner's id.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttendancePrivacyTest {
    private static final String SCHOOL = HubFixture.SCHOOL_1;
    private static final LocalDate DAY = LocalDate.now(java.time.ZoneOffset.UTC);
    /** 07:00 of DAY in Ho Chi Minh City (UTC+7). */
    private static final long START = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
    private static final byte[] CARD_KEY = "card-key-of-thcs-nguyen-du-32byt".getBytes(StandardCharsets.UTF_8);
    private static final int LEARNERS = 60;

    @TempDir
    Path dir;
    private Hub hub;
    private HttpServer sms;
    private String database;
    private final List<JsonObject> delivered = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
        if (sms != null) {
            sms.stop(0);
        }
        if (database != null) {
            TestInflux.dropDatabase(TestInflux.url(), database);
        }
    }

    /** A learner of the simulated school: id, class, card uid (as the reader reads it) and its hash. */
    private record Learner(String id, String classId, String room, String uid, String cardHash) {
    }

    private static List<Learner> learners() {
        List<Learner> out = new ArrayList<>();
        for (int i = 0; i < LEARNERS; i++) {
            String uid = String.format("04:%02X:%02X:%02X:%02X:80", 0x10 + i, (i * 37) & 0xff, (i * 91) & 0xff, 0xA0 + (i % 16));
            String classId = i < 30 ? "6a" : "7b";
            out.add(new Learner(String.format("0792%08d", 13_579 + i * 7_919), classId, i < 30 ? "r101" : "r102", uid,
                    CardHash.of(CARD_KEY, uid)));
        }
        return out;
    }

    /** Verifies the privacy scan and the counts on the embedded SQLite store. */
    @Test
    void aMorningLeavesNoLearnerOrCardInLogsMetricsOrTheSqliteStore(Vertx vertx) throws Exception {
        HubConfig config = HubFixture.config(dir);
        Path storeFile = Path.of(config.store().path());
        morning(vertx, config, () -> StoreContents.sqlite(storeFile) + rawBytes(storeFile),
                () -> SqliteTimeSeriesStore.open(storeFile));
    }

    /** Verifies the privacy scan and the counts on InfluxDB. */
    @Test
    void aMorningLeavesNoLearnerOrCardInLogsMetricsOrInfluxDb(Vertx vertx) throws Exception {
        String url = TestInflux.url();
        database = TestInflux.uniqueDatabase(AttendancePrivacyTest.class);
        HubConfig config = HubFixture.config(dir);
        config = config.withStore(config.store().withInflux(TestInflux.config(url, database)));
        HubConfig influx = config;
        morning(vertx, config, () -> StoreContents.influx(url, database),
                () -> InfluxTimeSeriesStore.open(influx.store().influx()));
    }

    /** Every file of the store (the database, its WAL and journal) as bytes: deleted rows would be in there. */
    private static String rawBytes(Path storeFile) {
        try (Stream<Path> files = Files.list(storeFile.getParent())) {
            StringBuilder out = new StringBuilder();
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(storeFile.getFileName().toString())).toList()) {
                out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
            return out.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void morning(Vertx vertx, HubConfig config, Supplier<String> storeContents, Supplier<TimeSeriesStore> reader)
            throws Exception {
        List<Learner> learners = learners();
        Map<String, String> expected = new LinkedHashMap<>(); // event id -> learner id, every decision the SMS must get
        try (CapturedLog log = CapturedLog.start()) {
            hub = HubFixture.start(vertx, config);
            Http http = Http.admin(hub);
            startSms();
            Http.Response subscribed = http.send("POST", "/api/v1/webhooks", new JsonObject().put("id", "sms")
                    .put("url", "http://127.0.0.1:" + sms.getAddress().getPort() + "/hooks")
                    .put("events", new JsonArray().add("attendance.*")).encode());
            assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);

            List<DeviceEvent> events = new ArrayList<>();
            for (int i = 0; i < LEARNERS; i++) {
                Learner l = learners.get(i);
                DeviceRef door = new DeviceRef(SCHOOL, l.room(), "reader-" + l.room());
                if (i % 10 == 9) {
                    // absent at the cut-off (07:20); every twentieth of them excused by the SMS
                    AttendanceCategory category = i % 20 == 19 ? AttendanceCategory.EXCUSED_ABSENCE : AttendanceCategory.UNEXCUSED_ABSENCE;
                    events.add(decision("att-" + i, l, category, category == AttendanceCategory.EXCUSED_ABSENCE
                            ? AttendanceMark.Cause.EXCUSE : AttendanceMark.Cause.CUTOFF, START + 20 * 60_000));
                    continue;
                }
                long tap = START - 10 * 60_000 + i * 20_000L + (i % 7 == 6 ? 15 * 60_000 : 0);
                // the gateway keeps cards as hashes; a legacy one sends the raw uid: the hub drops both
                Map<String, String> card = i % 2 == 0 ? Map.of("card_hash", l.cardHash()) : Map.of("uid", l.uid(), "card_number", l.uid());
                events.add(DeviceEvent.of(door, EventType.CARD_TAP, tap, card));
                events.add(decision("att-" + i, l, tap > START + 10 * 60_000 ? AttendanceCategory.LATE : AttendanceCategory.PRESENT,
                        AttendanceMark.Cause.TAP, tap));
            }
            // a gateway bug: a learner's id where the category belongs
            Map<String, String> wrong = new java.util.HashMap<>(decision("att-bad", learners.get(0), AttendanceCategory.PRESENT,
                    AttendanceMark.Cause.TAP, START).attributes());
            wrong.put(AttendanceMarks.CATEGORY, learners.get(1).id());
            events.add(new DeviceEvent("att-bad", SCHOOL, "r101", "reader-r101", EventType.ATTENDANCE, START, wrong));
            events.stream().filter(e -> e.type() == EventType.ATTENDANCE && !e.id().equals("att-bad"))
                    .forEach(e -> expected.put(e.id(), e.attributes().get(AttendanceMarks.LEARNER_ID)));

            try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL, HubFixture.GATEWAY_1, HubFixture.SECRET_1)) {
                List<Batch> batches = new ArrayList<>();
                for (int from = 0; from < events.size(); from += 15) {
                    List<DeviceEvent> part = events.subList(from, Math.min(events.size(), from + 15));
                    batches.add(new Batch(HubFixture.GATEWAY_1 + "-" + from, HubFixture.GATEWAY_1, SCHOOL,
                            List.of(Reading.of(new DeviceRef(SCHOOL, "r101", "co2-r101"), Quantity.CO2, 600 + from, START + from)),
                            part));
                }
                for (Batch b : batches) {
                    assertThat(gateway.sendBatch(b).reasonCode()).as(b.batchId()).isZero();
                }
                // the link dropped before a PUBACK: the gateway sends a batch again
                assertThat(gateway.sendBatch(batches.get(2)).reasonCode()).isZero();
            }

            // teachers' corrections: an absent learner came late; another's id mistyped (refused, not quoted)
            Learner absent = learners.get(9);
            String correction = new JsonObject().put("eventId", "corr-9").put("school", SCHOOL).put("learnerId", absent.id())
                    .put("classId", absent.classId()).put("date", DAY.toString()).put("session", "morning")
                    .put("category", "late").put("at", java.time.Instant.ofEpochMilli(START + 40 * 60_000).toString()).encode();
            assertThat(http.send("POST", "/api/v1/attendance/events", correction).status()).isEqualTo(202);
            assertThat(http.send("POST", "/api/v1/attendance/events", correction).status()).as("a replay").isEqualTo(202);
            expected.put("corr-9", absent.id());
            String mistyped = learners.get(19).id().substring(1);
            Http.Response refused = http.send("POST", "/api/v1/attendance/events", new JsonObject().put("eventId", "corr-x")
                    .put("school", SCHOOL).put("learnerId", mistyped).put("classId", "7b").put("date", DAY.toString())
                    .put("session", "morning").put("category", "present").put("at", "2026-12-03T00:30:00Z").encode());
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).doesNotContain(mistyped);

            // the positive: counts per class in the API (with the records for this loopback caller) and in the store
            JsonObject day = http.get("/api/v1/attendance?school=" + SCHOOL + "&date=" + DAY).json();
            AttendanceCounts class6a = new AttendanceCounts(SCHOOL, DAY, "6a", "morning", null, 25, 3, 1, 1);
            AttendanceCounts class7b = new AttendanceCounts(SCHOOL, DAY, "7b", "morning", null, 23, 4, 2, 1);
            assertThat(day.getJsonArray("classes").stream().map(c -> counts((JsonObject) c)).toList())
                    .containsExactly(class6a, class7b);
            assertThat(day.getJsonArray("records")).hasSize(LEARNERS);
            try (TimeSeriesStore store = reader.get()) {
                assertThat(store.attendance(SCHOOL, DAY, DAY)).containsExactly(class6a, class7b);
            }
            JsonArray rates = http.get("/api/v1/attendance/rates?from=" + DAY + "&to=" + DAY).json().getJsonArray("days");
            assertThat(rates).hasSize(1);
            assertThat(rates.getJsonObject(0).getDouble("rate")).isEqualTo(Math.round(55.0 / 60 * 10_000) / 10_000.0);

            // the SMS got every decision once, with its learner's id
            Poll.until(Duration.ofSeconds(60), expected.size() + " attendance webhooks", () -> delivered.size() >= expected.size());
            Map<String, String> got = new LinkedHashMap<>();
            synchronized (delivered) {
                delivered.forEach(d -> got.put(d.getJsonObject("data").getString("eventId"), d.getJsonObject("data").getString("learnerId")));
                assertThat(delivered).hasSize(expected.size());
            }
            assertThat(got).isEqualTo(expected);

            String logText = log.text();
            String metrics = http.get("/metrics").body();
            String stored = storeContents.get();
            assertThat(logText).contains("attendance event att-bad not recorded");
            assertThat(metrics).contains("hub_attendance_events_total{result=\"recorded\"} " + (double) expected.size());
            assertThat(stored).contains("6a").contains("7b");
            for (Learner l : learners) {
                for (String personal : List.of(l.id(), l.uid(), l.cardHash())) {
                    assertThat(logText).as("the log").doesNotContain(personal);
                    assertThat(metrics).as("/metrics").doesNotContain(personal);
                    assertThat(stored).as("the time-series store").doesNotContain(personal);
                }
            }
            assertThat(Set.of(logText, metrics, stored)).noneMatch(t -> t.contains(mistyped));
        }
    }

    private static DeviceEvent decision(String id, Learner l, AttendanceCategory category, AttendanceMark.Cause cause, long at) {
        return AttendanceMarks.asEvent(new AttendanceMark(id, SCHOOL, l.room(), "reader-" + l.room(), l.id(), l.classId(), DAY,
                "morning", null, category, cause, at));
    }

    private static AttendanceCounts counts(JsonObject c) {
        return new AttendanceCounts(SCHOOL, DAY, c.getString("class"), c.getString("session"), c.getString("period"),
                c.getInteger("present"), c.getInteger("late"), c.getInteger("excused_absence"), c.getInteger("unexcused_absence"));
    }

    private void startSms() throws IOException {
        sms = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sms.setExecutor(Executors.newCachedThreadPool());
        sms.createContext("/hooks", ex -> {
            delivered.add(new JsonObject(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        sms.start();
    }
}

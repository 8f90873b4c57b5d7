package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.testsupport.ControllableStore;
import org.smartschool.hub.testsupport.CapturedLog;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.WebhookReceiver;

import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_2;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_2;

/**
 * Attendance events in gateways' batches (a Paho MQTT 5 client, the firmware-bridge batch codec) through the
 * real endpoint: recorded before the PUBACK, a bad one kept as a dead letter without holding up the rest of
 * its batch or another gateway, a replay counted never again, another school's batch refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayAttendanceIngestTest {
    static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    /** 07:05 in Ho Chi Minh City on DAY. */
    static final long T = 1_796_256_300_000L;

    @TempDir
    Path dir;
    private Hub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
    }

    static DeviceEvent mark(String school, String id, String learner, AttendanceCategory category, long at) {
        return AttendanceMarks.asEvent(new AttendanceMark(id, school, "r101", "reader-r101", learner, "6a", DAY, "morning",
                null, category, category == AttendanceCategory.UNEXCUSED_ABSENCE ? AttendanceMark.Cause.CUTOFF
                        : AttendanceMark.Cause.TAP, at));
    }

    static Batch batch(String gateway, String school, String id, List<DeviceEvent> events) {
        return new Batch(gateway + "-" + id, gateway, school,
                List.of(Reading.of(new DeviceRef(school, "r101", "co2-r101"), Quantity.CO2, 640, T)), events);
    }

    private static JsonObject day(Http http, String school) throws Exception {
        Http.Response answer = http.get("/api/v1/attendance?school=" + school + "&date=" + DAY);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static JsonObject morning(JsonObject day) {
        JsonArray classes = day.getJsonArray("classes");
        assertThat(classes).hasSize(1);
        return classes.getJsonObject(0);
    }

    /** Verifies that attendance events in a batch are recorded when its PUBACK arrives (no waiting), and a replay of the batch counts nothing twice. */
    @Test
    void attendanceInABatchIsRecordedBeforeThePubackAndAReplayCountsNothingTwice(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Http http = Http.admin(hub);
        Batch batch = batch(GATEWAY_1, SCHOOL_1, "1-3", List.of(
                mark(SCHOOL_1, "att-p1", "079201000001", AttendanceCategory.PRESENT, T),
                mark(SCHOOL_1, "att-l2", "079201000002", AttendanceCategory.LATE, T + 900_000),
                mark(SCHOOL_1, "att-u3", "079201000003", AttendanceCategory.UNEXCUSED_ABSENCE, T + 1_200_000)));
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            assertThat(gateway.sendBatch(batch).reasonCode()).isZero();
            JsonObject counts = morning(day(http, SCHOOL_1));
            assertThat(counts.encode()).isEqualTo(new JsonObject().put("class", "6a").put("session", "morning")
                    .put("present", 1).put("late", 1).put("excused_absence", 0).put("unexcused_absence", 1).put("total", 3).encode());

            assertThat(gateway.sendBatch(batch).reasonCode()).isZero();
            assertThat(morning(day(http, SCHOOL_1)).getInteger("total")).isEqualTo(3);
            // the absent learner taps later: a new event of the same slot moves one count
            assertThat(gateway.sendBatch(batch(GATEWAY_1, SCHOOL_1, "4-4", List.of(
                    mark(SCHOOL_1, "att-l3", "079201000003", AttendanceCategory.LATE, T + 1_500_000)))).reasonCode()).isZero();
        }
        JsonObject after = morning(day(http, SCHOOL_1));
        assertThat(List.of(after.getInteger("present"), after.getInteger("late"), after.getInteger("unexcused_absence")))
                .containsExactly(1, 2, 0);
        assertThat(http.metric("hub_attendance_events_total{result=\"recorded\"}")).isEqualTo(4.0);
        assertThat(http.metric("hub_attendance_events_total{result=\"replayed\"}")).isEqualTo(3.0);
        JsonArray records = day(http, SCHOOL_1).getJsonArray("records");
        assertThat(records.stream().map(r -> ((JsonObject) r).getString("learnerId") + "=" + ((JsonObject) r).getString("category")))
                .containsExactly("079201000001=present", "079201000002=late", "079201000003=late");
    }

    /**
     * Verifies that bad attendance events are counted, kept as dead letters and logged without the learner's id,
     * while the rest of their batch is stored and acknowledged and another gateway is not held up.
     */
    @Test
    void aBadAttendanceEventIsADeadLetterAndTheRestOfTheBatchIsTaken(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Http http = Http.admin(hub);
        String learner = "079201000042";
        List<DeviceEvent> events = new ArrayList<>();
        events.add(mark(SCHOOL_1, "att-good", "079201000041", AttendanceCategory.PRESENT, T));
        // a gateway bug: the learner's id in the category
        Map<String, String> wrong = new java.util.HashMap<>(mark(SCHOOL_1, "att-bad-category", learner, AttendanceCategory.PRESENT, T).attributes());
        wrong.put(AttendanceMarks.CATEGORY, learner);
        events.add(new DeviceEvent("att-bad-category", SCHOOL_1, "r101", "reader-r101", EventType.ATTENDANCE, T, wrong));
        // the learner's id as the event id: refused, it would be in logs and webhook ids
        events.add(mark(SCHOOL_1, "att-" + learner, learner, AttendanceCategory.LATE, T));
        Map<String, String> noDate = new java.util.HashMap<>(mark(SCHOOL_1, "att-no-date", learner, AttendanceCategory.PRESENT, T).attributes());
        noDate.remove(AttendanceMarks.DATE);
        events.add(new DeviceEvent("att-no-date", SCHOOL_1, "r101", "reader-r101", EventType.ATTENDANCE, T, noDate));

        try (CapturedLog log = CapturedLog.start();
             TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1);
             TestGateway other = TestGateway.connect(hub.mqttPort(), SCHOOL_2, GATEWAY_2, SECRET_2)) {
            assertThat(gateway.sendBatch(batch(GATEWAY_1, SCHOOL_1, "1-5", events)).reasonCode()).isZero();
            assertThat(other.sendBatch(batch(GATEWAY_2, SCHOOL_2, "1-1", List.of(
                    mark(SCHOOL_2, "att-other", "079201000099", AttendanceCategory.PRESENT, T)))).reasonCode()).isZero();

            assertThat(morning(day(http, SCHOOL_1)).getInteger("present")).isEqualTo(1);
            assertThat(morning(day(http, SCHOOL_1)).getInteger("total")).isEqualTo(1);
            assertThat(morning(day(http, SCHOOL_2)).getInteger("present")).isEqualTo(1);
            assertThat(http.get("/api/v1/readings?school=" + SCHOOL_1 + "&room=r101&quantity=co2&from=2026-12-02T00:00:00Z"
                    + "&to=2026-12-04T00:00:00Z").json().getJsonArray("readings")).hasSize(1);
            assertThat(http.metric("hub_attendance_events_total{result=\"malformed\"}")).isEqualTo(3.0);

            Http.Response letters = http.get("/api/v1/attendance/dead-letters?school=" + SCHOOL_1);
            assertThat(letters.status()).as(letters.body()).isEqualTo(200);
            JsonArray list = letters.json().getJsonArray("deadLetters");
            assertThat(list.stream().map(l -> ((JsonObject) l).getString("reason")).toList()).hasSize(3)
                    .anySatisfy(r -> assertThat(r).contains("unknown category"))
                    .anySatisfy(r -> assertThat(r).contains("spells out the learner's id"))
                    .anySatisfy(r -> assertThat(r).contains("'date'"));
            assertThat(letters.body()).doesNotContain(learner);

            List<String> lines = log.events().stream().map(e -> e.getFormattedMessage())
                    .filter(m -> m.contains("attendance event")).toList();
            assertThat(lines).as("one rate-limited line for the gateway").hasSize(1);
            assertThat(lines.get(0)).contains(GATEWAY_1).contains("dead letter");
            assertThat(log.text()).doesNotContain(learner);
        }
    }

    /** Verifies that a gateway's batch of another school's attendance is refused (not authorised) and nothing of it is recorded. */
    @Test
    void aBatchOfAnotherSchoolIsRefusedAndNothingRecorded(Vertx vertx) throws Exception {
        hub = HubFixture.start(vertx, HubFixture.config(dir));
        Http http = Http.admin(hub);
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            TestGateway.Ack refused = gateway.sendBatch(batch(GATEWAY_1, SCHOOL_2, "1-1", List.of(
                    mark(SCHOOL_2, "att-foreign", "079201000007", AttendanceCategory.PRESENT, T))));
            assertThat(refused.reasonCode()).isEqualTo(0x87);
        }
        assertThat(day(http, SCHOOL_2).getJsonArray("classes")).isEmpty();
        assertThat(http.metric("hub_attendance_events_total{result=\"recorded\"}")).isEqualTo(0.0);
    }

    /**
     * Verifies that a batch's decision reaches the school management system while the batch's readings still wait to
     * be stored (the ledger goes first: the webhook does not wait for the time series), and that a batch whose store
     * fails is refused, resent, and forwarded once: the resend is a replay whose counts reach the time series.
     */
    @Test
    void aDecisionIsForwardedBeforeItsBatchIsStoredAndAFailedStoreForwardsNothingTwice(Vertx vertx) throws Exception {
        HubConfig config = HubFixture.config(dir);
        HubStore stored = HubFixture.openStore(config);
        ControllableStore store = new ControllableStore(stored);
        hub = HubFixture.start(vertx, config, store);
        Http http = Http.admin(hub);
        try (WebhookReceiver sms = WebhookReceiver.start();
             TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            Http.Response subscribed = http.send("POST", "/api/v1/webhooks", new JsonObject().put("id", "sms")
                    .put("url", sms.url()).put("events", new JsonArray().add("attendance.*")).encode());
            assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);

            store.closeGate();
            IMqttToken first = gateway.publishAsync(batch(GATEWAY_1, SCHOOL_1, "1-1", List.of(
                    mark(SCHOOL_1, "att-p1", "079201000001", AttendanceCategory.PRESENT, T))));
            Poll.until(Duration.ofSeconds(10), "the first decision at the SMS", () -> sms.deliveries().size() == 1);
            assertThat(first.isComplete()).as("no PUBACK while the batch waits to be stored").isFalse();
            store.openGate();
            first.waitForCompletion(10_000);
            assertThat(first.getReasonCodes()).containsExactly(0);

            store.failNextBatches(1);
            Batch second = batch(GATEWAY_1, SCHOOL_1, "2-2", List.of(
                    mark(SCHOOL_1, "att-l2", "079201000002", AttendanceCategory.LATE, T + 900_000)));
            assertThat(gateway.sendBatch(second).reasonCode()).as("the store failed: the gateway must resend").isEqualTo(0x83);
            assertThat(gateway.sendBatch(second).reasonCode()).isZero();
            assertThat(stored.timeSeries().attendance(SCHOOL_1, DAY, DAY)).as("the resend wrote the counts")
                    .containsExactly(new AttendanceCounts(SCHOOL_1, DAY, "6a", "morning", null, 1, 1, 0, 0));

            // a last decision proves the path live before counting what the SMS got
            assertThat(gateway.sendBatch(batch(GATEWAY_1, SCHOOL_1, "3-3", List.of(
                    mark(SCHOOL_1, "att-u3", "079201000003", AttendanceCategory.UNEXCUSED_ABSENCE, T + 1_200_000))))
                    .reasonCode()).isZero();
            Poll.until(Duration.ofSeconds(10), "the last decision at the SMS", () -> sms.deliveries().stream()
                    .anyMatch(d -> "att-u3".equals(d.id())));
            assertThat(sms.deliveries()).extracting(WebhookReceiver.Delivery::id).containsExactlyInAnyOrder("att-p1", "att-l2", "att-u3");
        }
        assertThat(http.metric("hub_attendance_events_total{result=\"replayed\"}")).isEqualTo(1.0);
    }
}

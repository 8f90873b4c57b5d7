package org.smartschool.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.gateway.support.AttendanceFixture.ON_TIME;
import static org.smartschool.gateway.support.AttendanceFixture.uid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.support.AttendanceFixture;
import org.smartschool.gateway.support.BrokerClients;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.support.TestGatewayConfig;
import org.smartschool.gateway.testsupport.TcpProxy;
import org.smartschool.gateway.testsupport.TestBroker;

/**
 * Attendance at a running gateway against a real Mosquitto on both sides: a door reader publishes a tap
 * through the card-reader codec and gets its answer on {@code <tap topic>/answer}; the hub (the test,
 * on the north end through a {@link TcpProxy}) sends the {@code attendance} section and receives the
 * decision in a batch; with the hub unreachable the reader is answered all the same and the decisions
 * reach the hub once it is back.
 */
@Timeout(120)
class GatewayAttendanceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final BatchCodec BATCHES = new BatchCodec();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private String broker;
    private String run;
    private TcpProxy north;
    private GatewayConfig config;
    private String configTopic;
    private final List<Gateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.mqttUrl();
        run = UUID.randomUUID().toString().substring(0, 8);
        north = new TcpProxy(broker);
        config = TestGatewayConfig.of(run, broker, dir).north(north.url())
                // subscribed wide: the gateway's own answers come back to it, and must not be taken for taps
                .routes(new TopicRoute("rd-" + run + "/{room}/{device}", "card-reader", null, null, "rd-" + run + "/#"))
                .build();
        configTopic = UplinkTopics.config(config.school(), config.gatewayId());
    }

    @AfterEach
    void tearDown() throws Exception {
        gateways.forEach(Gateway::close);
        if (north != null) {
            north.close();
        }
        if (config != null) { // null when the test was skipped for want of a broker
            BrokerClients.forgetSession(broker, config.southClientId());
            BrokerClients.publish(broker, configTopic, new byte[0], 1, true); // clear the retained message
        }
    }

    private Gateway start(java.util.function.LongSupplier clock) {
        Gateway gateway = Gateway.start(config, CodecRegistry.standard(), new SimpleMeterRegistry(), clock);
        gateways.add(gateway);
        return gateway;
    }

    private String readerTopic(String room) {
        return "rd-" + run + "/" + room + "/reader-" + room;
    }

    private static List<DeviceEvent> events(BrokerClients.Subscriber hub) {
        List<DeviceEvent> out = new ArrayList<>();
        for (BrokerClients.Received frame : hub.received()) {
            try {
                out.addAll(BATCHES.decode(frame.payload()).events());
            } catch (org.smartschool.bridge.uplink.BatchFormatException e) {
                throw new AssertionError("undecodable batch", e);
            }
        }
        return out;
    }

    private static List<AttendanceMark> marks(BrokerClients.Subscriber hub) {
        return events(hub).stream().filter(e -> e.type() == EventType.ATTENDANCE).map(AttendanceMarks::fromEvent).toList();
    }

    private static JsonNode answer(BrokerClients.Subscriber reader, int index) throws Exception {
        return JSON.readTree(reader.received().get(index).payload());
    }

    @Test
    void aReaderOverMqttIsAnsweredAndTheHubReceivesTheDecision() throws Exception {
        north.up();
        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()));
             BrokerClients.Subscriber reader = new BrokerClients.Subscriber(broker, readerTopic("r101") + "/answer")) {
            Gateway gateway = start(System::currentTimeMillis);
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            BrokerClients.publish(broker, configTopic,
                    AttendanceFixture.desiredConfig(7, AttendanceFixture.startingNow()).getBytes(StandardCharsets.UTF_8), 1, true);
            Poll.until(WAIT, "attendance applied", () -> gateway.status().desiredConfigVersion().orElse(-1) == 7);
            assertThat(gateway.attendance().on()).isTrue();

            BrokerClients.publish(broker, readerTopic("r101"), uid(ON_TIME), 1);
            Poll.until(WAIT, "the reader's answer", () -> reader.received().size() == 1);
            JsonNode green = answer(reader, 0);
            assertThat(green.get("answer").asText()).isEqualTo("green");
            assertThat(green.get("outcome").asText()).isEqualTo("present");

            Poll.until(WAIT, "the decision at the hub", () -> marks(hub).size() == 1);
            AttendanceMark mark = marks(hub).get(0);
            assertThat(mark.learnerId()).isEqualTo(ON_TIME);
            assertThat(mark.category()).isEqualTo(AttendanceCategory.PRESENT);
            assertThat(mark.classId()).isEqualTo("6a");
            assertThat(mark.room()).isEqualTo("r101");
            assertThat(mark.device()).isEqualTo("reader-r101");
            assertThat(mark.school()).isEqualTo(config.school());
            DeviceEvent tap = events(hub).stream().filter(e -> e.type() == EventType.CARD_TAP).findFirst().orElseThrow();
            assertThat(tap.id()).isEqualTo(green.get("tap").asText());
            assertThat(tap.attributes()).doesNotContainKey("uid")
                    .containsEntry("card_hash", CardHash.of(AttendanceFixture.KEY, uid(ON_TIME)));

            // a revoked card: red at once, reported to the hub as a refused tap
            BrokerClients.publish(broker, readerTopic("r101"), AttendanceFixture.REVOKED_UID, 1);
            Poll.until(WAIT, "the second answer", () -> reader.received().size() == 2);
            assertThat(answer(reader, 1).get("answer").asText()).isEqualTo("red");
            assertThat(answer(reader, 1).get("outcome").asText()).isEqualTo("revoked_card");
            Poll.until(WAIT, "the refused tap at the hub", () -> events(hub).stream()
                    .anyMatch(e -> "revoked_card".equals(e.attributes().get("attendance"))));
            assertThat(gateway.healthReport().counters()).containsEntry("attendance_taps", 2L)
                    .containsEntry("attendance_present", 1L).containsEntry("attendance_revoked_cards", 1L);
            // our own answers came back through the wide subscription and were not taken for device messages
            assertThat(gateway.outbox().deadLetterCount()).isZero();
            assertThat(gateway.metrics().unknownDevicesBySource()).containsEntry("mqtt", 0L);
        }
    }

    @Test
    void withTheHubUnreachableReadersAreAnsweredAndAbsencesDecidedOnTheGatewaysClock() throws Exception {
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        north.up();
        Gateway first = start(clock::get);
        BrokerClients.publish(broker, configTopic,
                AttendanceFixture.desiredConfig(3, AttendanceFixture.startingNow()).getBytes(StandardCharsets.UTF_8), 1, true);
        Poll.until(WAIT, "attendance applied", () -> first.status().desiredConfigVersion().orElse(-1) == 3);
        first.close();
        gateways.clear();
        north.down(); // the school's internet is down from here

        try (BrokerClients.Subscriber hub = new BrokerClients.Subscriber(broker,
                UplinkTopics.batch(config.school(), config.gatewayId()));
             BrokerClients.Subscriber reader = new BrokerClients.Subscriber(broker, readerTopic("r101") + "/answer")) {
            Gateway gateway = start(clock::get); // the plan it stored
            assertThat(gateway.attendance().on()).isTrue();
            Poll.until(WAIT, "south connected", () -> gateway.status().southConnected());
            long tappedAt = System.currentTimeMillis() - 1_234; // the gateway's clock, not the system's, stamps the tap
            clock.set(tappedAt);
            BrokerClients.publish(broker, readerTopic("r101"), uid(ON_TIME), 1);
            Poll.until(WAIT, "the reader's answer", () -> reader.received().size() == 1);
            assertThat(answer(reader, 0).get("answer").asText()).isEqualTo("green");

            // 25 minutes later on the gateway's clock: past the cut-off (start + 20 min; the morning starts in 2 min)
            clock.addAndGet(25 * 60_000L);
            Poll.until(WAIT, "absences decided offline", () -> gateway.attendance().counters().unexcusedAbsences() == 6);
            assertThat(gateway.attendance().counters().excusedAbsences()).isEqualTo(1);
            assertThat(hub.received()).as("nothing reaches the hub while it is unreachable").isEmpty();

            north.up();
            Poll.until(WAIT, "every decision at the hub", () -> marks(hub).size() == 8);
            assertThat(marks(hub)).extracting(AttendanceMark::learnerId)
                    .containsExactlyInAnyOrderElementsOf(AttendanceFixture.ALL);
            assertThat(marks(hub)).filteredOn(m -> m.learnerId().equals(ON_TIME)).singleElement()
                    .extracting(AttendanceMark::category).isEqualTo(AttendanceCategory.PRESENT);
            assertThat(marks(hub)).filteredOn(m -> m.learnerId().equals(ON_TIME)).singleElement()
                    .extracting(AttendanceMark::at).isEqualTo(tappedAt);
            assertThat(marks(hub)).filteredOn(m -> m.learnerId().equals(AttendanceFixture.EXCUSED)).singleElement()
                    .extracting(AttendanceMark::category).isEqualTo(AttendanceCategory.EXCUSED_ABSENCE);
        }
    }
}

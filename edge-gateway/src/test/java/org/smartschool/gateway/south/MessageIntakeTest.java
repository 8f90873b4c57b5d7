package org.smartschool.gateway.south;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.cardreader.CardReaderCodec;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.outbox.DeadLetter;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.support.TestJsonCodec;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/** Verifies routing, decoding and dead-lettering of device messages, without a broker. */
@Timeout(30)
class MessageIntakeTest {
    private static final long NOW = 1_760_000_000_000L;

    @TempDir
    Path dir;
    private Outbox outbox;
    private SimpleMeterRegistry registry;
    private GatewayMetrics metrics;
    private MessageIntake intake;

    /** A codec with a bug: it throws instead of reporting a problem. */
    static final class ThrowingCodec implements Codec {
        @Override
        public String name() {
            return "throwing";
        }

        @Override
        public String description() {
            return "test only";
        }

        @Override
        public DecodeResult decode(RawMessage message, DeviceRef device) {
            throw new IllegalStateException("boom");
        }
    }

    @BeforeEach
    void setUp() {
        outbox = Outbox.open(dir.resolve("outbox.db"), OutboxLimits.of(1000, 100).withDisk(0, 0));
        registry = new SimpleMeterRegistry();
        metrics = new GatewayMetrics(registry, "gw-1");
        intake = new MessageIntake(router(), outbox, metrics, 256);
    }

    private static final byte[] TAP = "UID: 04 A2 2B 1C\r\n".getBytes(StandardCharsets.US_ASCII);

    private static TopicRouter router() {
        return new TopicRouter("s1", List.of(
                new TopicRoute("sensors/{room}/{device}", TestJsonCodec.NAME),
                new TopicRoute("buggy/{room}/{device}", "throwing"),
                new TopicRoute("doors/{room}/{device}", "card-reader")),
                new CodecRegistry(List.of(new TestJsonCodec(), new ThrowingCodec(), new CardReaderCodec())));
    }

    @AfterEach
    void tearDown() {
        outbox.close();
    }

    private static RawMessage message(String topic, String payload) {
        return new RawMessage(topic, null, payload.getBytes(StandardCharsets.UTF_8), NOW);
    }

    @Test
    void decodedReadingsReachTheOutbox() throws Exception {
        intake.accept(List.of(message("sensors/room-101/multi-1", "{\"temperature\":29.4,\"humidity\":71,\"co2\":812}")));

        DeviceRef device = new DeviceRef("s1", "room-101", "multi-1");
        assertThat(outbox.peek(10).readings()).containsExactly(
                Reading.of(device, Quantity.TEMPERATURE, 29.4, NOW),
                Reading.of(device, Quantity.HUMIDITY, 71, NOW),
                Reading.of(device, Quantity.CO2, 812, NOW));
        assertThat(metrics.southMessages().count()).isEqualTo(1);
        assertThat(outbox.deadLetterCount()).isZero();
    }

    @Test
    void anUnknownTopicIsCountedAndDeadLettered() throws Exception {
        intake.accept(List.of(message("sensors/room-101", "{\"co2\":500}")));

        assertThat(outbox.size()).isZero();
        assertThat(registry.get("gateway_unknown_devices_total").tag("gateway", "gw-1").counter().count()).isEqualTo(1);
        DeadLetter letter = outbox.deadLetters(1).get(0);
        assertThat(letter.topic()).isEqualTo("sensors/room-101");
        assertThat(new String(letter.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"co2\":500}");
        assertThat(letter.reason()).startsWith("unknown device");
    }

    @Test
    void anUndecodablePayloadIsCountedWithItsCodecAndDeadLettered() throws Exception {
        intake.accept(List.of(message("sensors/room-101/multi-1", "garbage")));

        assertThat(outbox.size()).isZero();
        assertThat(registry.get("gateway_decode_errors_total").tag("codec", TestJsonCodec.NAME).counter().count())
                .isEqualTo(1);
        assertThat(outbox.deadLetters(1).get(0).reason()).contains("cannot decode with test-json").contains("not JSON");
    }

    @Test
    void thePartsOfAPartlyDecodedMessageThatDecodedGoOn() throws Exception {
        intake.accept(List.of(message("sensors/room-101/multi-1", "{\"co2\":812,\"humidity\":\"wet\",\"colour\":3}")));

        assertThat(outbox.peek(10).readings()).extracting(Reading::quantity).containsExactly(Quantity.CO2);
        assertThat(metrics.decodeErrorsTotal()).isEqualTo(2);
        assertThat(outbox.deadLetterCount()).isZero();
    }

    @Test
    void aCodecThatThrowsCannotLoseTheMessage() throws Exception {
        intake.accept(List.of(message("buggy/room-101/x-1", "{}"), message("sensors/room-101/multi-1", "{\"co2\":600}")));

        assertThat(outbox.peek(10).readings()).singleElement().extracting(Reading::value).isEqualTo(600.0);
        assertThat(registry.get("gateway_decode_errors_total").tag("codec", "throwing").counter().count()).isEqualTo(1);
        assertThat(outbox.deadLetters(1).get(0).reason()).contains("codec throwing failed").contains("boom");
    }

    @Test
    void anOversizedPayloadIsNotDecodedAndKeptTruncated() throws Exception {
        String big = "{\"co2\":" + "1".repeat(300) + "}";

        intake.accept(List.of(message("sensors/room-101/multi-1", big)));

        assertThat(outbox.size()).isZero();
        DeadLetter letter = outbox.deadLetters(1).get(0);
        assertThat(letter.payload()).hasSize(256);
        assertThat(letter.reason()).contains("larger than south.maxPayloadBytes (256)");
        assertThat(metrics.decodeErrorsTotal()).isEqualTo(1);
    }

    @Test
    void aGroupIsAppendedTogetherInArrivalOrder() throws Exception {
        intake.accept(List.of(
                message("sensors/r1/d1", "{\"co2\":401}"),
                message("nowhere", "{}"),
                message("sensors/r2/d2", "{\"co2\":402}")));

        assertThat(outbox.peek(10).readings()).extracting(Reading::room).containsExactly("r1", "r2");
        assertThat(metrics.southMessages().count()).isEqualTo(3);
        assertThat(metrics.unknownDevices().count()).isEqualTo(1);
    }

    @Test
    void offerAnswersEachMessageWithWhatBecameOfIt() {
        IntakeOutcome recorded = intake.offer(message("sensors/r1/d1", "{\"co2\":401,\"humidity\":55}"));
        IntakeOutcome rejected = intake.offer(message("sensors/r1/d1", "garbage"));

        assertThat(recorded).isEqualTo(new IntakeOutcome.Recorded(2));
        assertThat(outbox.size()).isEqualTo(2);
        assertThat(rejected).isInstanceOfSatisfying(IntakeOutcome.Rejected.class,
                r -> assertThat(r.reason()).contains("cannot decode with test-json").doesNotContain("\n"));
        assertThat(outbox.deadLetterCount()).isEqualTo(1);
        assertThat(metrics.southMessages().count()).isEqualTo(2);
    }

    @Test
    void offerDropsTheOldestReadingToMakeRoomForANewOne() throws Exception {
        outbox.close();
        outbox = Outbox.open(dir.resolve("small.db"), OutboxLimits.of(2, 100).withDisk(0, 0));
        MessageIntake small = new MessageIntake(router(), outbox, metrics, 256);
        assertThat(small.offer(message("sensors/r1/d1", "{\"co2\":401,\"humidity\":55}")))
                .isEqualTo(new IntakeOutcome.Recorded(2));

        IntakeOutcome third = small.offer(message("sensors/r1/d1", "{\"co2\":402}"));

        assertThat(third).isEqualTo(new IntakeOutcome.Recorded(1));
        assertThat(outbox.peek(10).readings()).extracting(Reading::value).containsExactly(55.0, 402.0);
        assertThat(registry.get("gateway_dropped_total").tag("reason", Outbox.DROP_MAX_RECORDS).counter().count())
                .isEqualTo(1);
    }

    @Test
    void offerRefusesWithoutWaitingWhenOnlyEventsFillTheOutbox() throws Exception {
        outbox.close();
        outbox = Outbox.open(dir.resolve("events.db"), OutboxLimits.of(2, 100).withDisk(0, 0));
        MessageIntake small = new MessageIntake(router(), outbox, metrics, 256);
        assertThat(small.offer(new RawMessage("doors/r1/door-1", null, TAP, NOW))).isEqualTo(new IntakeOutcome.Recorded(1));
        byte[] otherCard = "UID: 04 A2 2B 1D\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(small.offer(new RawMessage("doors/r1/door-1", null, otherCard, NOW + 1)))
                .isEqualTo(new IntakeOutcome.Recorded(1));

        IntakeOutcome full = small.offer(message("sensors/r1/d1", "{\"co2\":402}"));

        assertThat(full).isEqualTo(new IntakeOutcome.Full(MessageIntake.FULL_RETRY_AFTER));
        assertThat(outbox.size()).isEqualTo(2);
        assertThat(outbox.peek(10).events()).hasSize(2);
        assertThat(outbox.peek(10).readings()).isEmpty();
    }

    @Test
    void offerAnswersFullWhenTheDiskIsBelowItsWatermark() {
        outbox.close();
        outbox = Outbox.open(dir.resolve("disk.db"), OutboxLimits.defaults().withDisk(Long.MAX_VALUE / 4, 0));
        MessageIntake starved = new MessageIntake(router(), outbox, metrics, 256);

        IntakeOutcome full = starved.offer(message("sensors/r1/d1", "{\"co2\":402}"));

        assertThat(full).isEqualTo(new IntakeOutcome.Full(MessageIntake.FULL_RETRY_AFTER));
        assertThat(outbox.size()).isZero();
        assertThat(outbox.diskFull()).isTrue();
    }

    @Test
    void aRetransmissionOfTheSameDeliveryWithinTheWindowGivesOneRecordWithTheFirstTime() {
        RawMessage first = message("sensors/r1/d1", "{\"co2\":812}");
        RawMessage again = new RawMessage(first.topic(), null, first.payload().clone(), NOW + 4_000);

        assertThat(intake.offer(new Delivery(first, "10.0.0.7:5683#4711", true))).isEqualTo(new IntakeOutcome.Recorded(1));
        assertThat(intake.offer(new Delivery(again, "10.0.0.7:5683#4711", true))).isEqualTo(new IntakeOutcome.Recorded(1));

        assertThat(outbox.peek(10).readings()).singleElement().satisfies(r -> {
            assertThat(r.timestamp()).isEqualTo(NOW);
            assertThat(r.value()).isEqualTo(812.0);
        });
        assertThat(metrics.redeliveriesSkipped().count()).isEqualTo(1);
    }

    @Test
    void theSameBytesOfferedAgainAsANewMessageAreASecondReading() {
        RawMessage first = message("sensors/r1/d1", "{\"co2\":812}");
        RawMessage later = new RawMessage(first.topic(), null, first.payload().clone(), NOW + 60_000);

        assertThat(intake.offer(first)).isEqualTo(new IntakeOutcome.Recorded(1));
        assertThat(intake.offer(later)).isEqualTo(new IntakeOutcome.Recorded(1));
        assertThat(intake.offer(new Delivery(later, "10.0.0.7:5683#4712", true))).isEqualTo(new IntakeOutcome.Recorded(1));

        assertThat(outbox.peek(10).readings()).extracting(Reading::timestamp).containsExactly(NOW, NOW + 60_000, NOW + 60_000);
        assertThat(metrics.redeliveriesSkipped().count()).isZero();
    }

    @Test
    void aCardTapRedeliveredByTheBrokerIsRecordedOnceWithItsFirstTime() throws Exception {
        RawMessage tap = new RawMessage("doors/r1/door-1", null, TAP, NOW);
        RawMessage redelivered = new RawMessage("doors/r1/door-1", null, TAP, NOW + 90_000);

        intake.acceptDeliveries(List.of(new Delivery(tap, "17", false)));
        intake.acceptDeliveries(List.of(new Delivery(redelivered, "17", true)));

        assertThat(outbox.peek(10).events()).singleElement()
                .satisfies(e -> assertThat(e.timestamp()).isEqualTo(NOW));
        assertThat(metrics.redeliveriesSkipped().count()).isEqualTo(1);
    }

    @Test
    void theSamePayloadAgainAsANewDeliveryIsANewReading() throws Exception {
        // a sensor whose value did not change: the broker gives a new packet id and no DUP flag
        intake.acceptDeliveries(List.of(new Delivery(message("sensors/r1/d1", "{\"co2\":812}"), "17", false)));
        intake.acceptDeliveries(List.of(new Delivery(
                new RawMessage("sensors/r1/d1", null, "{\"co2\":812}".getBytes(StandardCharsets.UTF_8), NOW + 10_000),
                "18", false)));
        // a redelivery of the second (DUP, its packet id) is not
        intake.acceptDeliveries(List.of(new Delivery(
                new RawMessage("sensors/r1/d1", null, "{\"co2\":812}".getBytes(StandardCharsets.UTF_8), NOW + 20_000),
                "18", true)));

        assertThat(outbox.peek(10).readings()).extracting(Reading::timestamp).containsExactly(NOW, NOW + 10_000);
    }

    @Test
    void aReplayedDeadLetterIsRecordedWithItsOriginalTimeOrSaysWhyItStillFails() {
        IntakeOutcome recorded = intake.replay(message("sensors/r1/d1", "{\"co2\":812}"));
        IntakeOutcome rejected = intake.replay(message("nowhere/at/all", "{\"co2\":812}"));

        assertThat(recorded).isEqualTo(new IntakeOutcome.Recorded(1));
        assertThat(outbox.peek(10).readings()).singleElement().satisfies(r -> assertThat(r.timestamp()).isEqualTo(NOW));
        assertThat(rejected).isInstanceOfSatisfying(IntakeOutcome.Rejected.class,
                r -> assertThat(r.reason()).startsWith("unknown device"));
        assertThat(outbox.deadLetterCount()).isZero(); // a replay that fails again is not kept twice
    }

    @Test
    void aDeadLetterKeepsTheFramesContentTypeAndReceiveTime() throws Exception {
        intake.accept(List.of(new RawMessage("sensors/r1/d1", "application/json", "garbage".getBytes(StandardCharsets.UTF_8),
                NOW - 5)));

        DeadLetter letter = outbox.deadLetters(1).get(0);
        assertThat(letter.contentType()).isEqualTo("application/json");
        assertThat(letter.receivedAt()).isEqualTo(NOW - 5);
        assertThat(letter.frame().payload()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGroupOfAThousandMessagesIsCommittedInOneTransaction() throws Exception {
        List<Delivery> group = new java.util.ArrayList<>();
        for (int i = 0; i < SouthSubscriber.GROUP_MAX; i++) {
            group.add(new Delivery(new RawMessage("sensors/r" + (i % 40) + "/d1", null,
                    ("{\"co2\":" + (400 + i) + "}").getBytes(StandardCharsets.UTF_8), NOW + i), Integer.toString(i + 1), false));
        }

        intake.acceptDeliveries(group);

        assertThat(outbox.size()).isEqualTo(1000);
        assertThat(metrics.recordsAppended().count()).isEqualTo(1000);
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
             java.sql.Statement st = db.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(DISTINCT appended_at), COUNT(*) FROM records")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1); // one commit: every record has the transaction's time
            assertThat(rs.getLong(2)).isEqualTo(1000);
        }
    }

    @Test
    void aGroupRefusedForWantOfDiskAppendsNothingOfIt() {
        outbox.close();
        outbox = Outbox.open(dir.resolve("disk.db"), OutboxLimits.defaults().withDisk(Long.MAX_VALUE / 4, 0));
        MessageIntake starved = new MessageIntake(router(), outbox, metrics, 256);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> starved.accept(List.of(
                        message("sensors/r1/d1", "{\"co2\":401}"), message("nowhere", "{}"))))
                .isInstanceOf(org.smartschool.gateway.outbox.DiskFullException.class)
                .hasMessageStartingWith("disk full: ");
        assertThat(outbox.size()).isZero();
        assertThat(outbox.deadLetterCount()).isZero(); // nothing of the group: the broker delivers it all again
        assertThat(metrics.southMessages().count()).isZero();
    }
}

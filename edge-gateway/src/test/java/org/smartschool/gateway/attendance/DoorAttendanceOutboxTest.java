package org.smartschool.gateway.attendance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.gateway.support.AttendanceFixture.ABSENT_THEN_LATE;
import static org.smartschool.gateway.support.AttendanceFixture.ON_TIME;
import static org.smartschool.gateway.support.AttendanceFixture.at;
import static org.smartschool.gateway.support.AttendanceFixture.uid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.AttendanceMarks;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.alarm.SchoolRules;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.outbox.JudgeChain;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.support.AttendanceFixture;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * Verifies attendance at the outbox's door with a real intake and a real outbox file: the tap is stored
 * with its card's hash and no UID, its attendance event right after it, the decision with them; a
 * restart in the middle of the morning goes on from what the outbox holds (the school's rules do not
 * take attendance's rows for theirs).
 */
@Timeout(60)
class DoorAttendanceOutboxTest {
    @TempDir
    Path dir;
    private Outbox outbox;
    private DoorAttendance door;
    private MessageIntake intake;

    @AfterEach
    void tearDown() {
        if (outbox != null) {
            outbox.close();
        }
    }

    private void open() {
        open(java.util.function.LongUnaryOperator.identity());
    }

    private void open(java.util.function.LongUnaryOperator tapTime) {
        outbox = Outbox.open(dir.resolve("outbox.db"), OutboxLimits.of(100_000, 100).withDisk(0, 0));
        SchoolRules rules = SchoolRules.open(outbox, RulesSettings.defaults().toRuleBook(),
                RulesSettings.defaults().toLessonHours());
        door = DoorAttendance.open(outbox, AttendanceFixture.SCHOOL, "gw-att", AttendanceFixture.plan(), tapTime);
        TopicRouter router = new TopicRouter(AttendanceFixture.SCHOOL,
                List.of(new TopicRoute("readers/{room}/{device}", "card-reader")), CodecRegistry.standard());
        intake = new MessageIntake(router, outbox, new GatewayMetrics(new SimpleMeterRegistry(), "gw-att"), 1024,
                JudgeChain.of(door, rules)).answeringTaps(door);
    }

    private IntakeOutcome tap(String room, String uid, String hhmm) {
        return intake.offer(new RawMessage("readers/" + room + "/reader-" + room, null, uid.getBytes(StandardCharsets.US_ASCII),
                at(hhmm)));
    }

    private List<DeviceEvent> events() {
        return outbox.peek(100_000).events();
    }

    private List<AttendanceMark> marks() {
        List<AttendanceMark> out = new ArrayList<>();
        for (DeviceEvent e : events()) {
            if (e.type() == EventType.ATTENDANCE) {
                out.add(AttendanceMarks.fromEvent(e));
            }
        }
        return out;
    }

    @Test
    void aTapIsStoredWithItsCardHashAndFollowedByItsDecision() throws Exception {
        open();
        IntakeOutcome outcome = tap("r101", "04:a2:2b:01", "06:55");

        assertThat(outcome).isInstanceOf(IntakeOutcome.Recorded.class);
        List<DoorAnswer> answers = ((IntakeOutcome.Recorded) outcome).answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).green()).isTrue();
        assertThat(answers.get(0).outcome()).isEqualTo(TapOutcome.PRESENT);
        assertThat(answers.get(0).device()).isEqualTo("reader-r101");
        assertThat(new String(answers.get(0).json(), StandardCharsets.UTF_8))
                .isEqualTo("{\"answer\":\"green\",\"outcome\":\"present\",\"tap\":\"" + answers.get(0).tap() + "\"}");

        List<DeviceEvent> events = events();
        assertThat(events).extracting(DeviceEvent::type).containsExactly(EventType.CARD_TAP, EventType.ATTENDANCE);
        DeviceEvent tap = events.get(0);
        assertThat(tap.id()).isEqualTo(answers.get(0).tap());
        assertThat(tap.attributes()).doesNotContainKeys("uid", "card_number")
                .containsEntry("card_hash", CardHash.of(AttendanceFixture.KEY, uid(ON_TIME)))
                .containsEntry("attendance", "present")
                .containsEntry("format", "nfc_uid");
        AttendanceMark mark = AttendanceMarks.fromEvent(events.get(1));
        assertThat(mark.learnerId()).isEqualTo(ON_TIME);
        assertThat(mark.category()).isEqualTo(AttendanceCategory.PRESENT);
        assertThat(mark.school()).isEqualTo(AttendanceFixture.SCHOOL);
        assertThat(door.counters().taps()).isEqualTo(1);
        assertThat(door.counters().present()).isEqualTo(1);

        // a refused card: red, stored with its hash, no decision
        IntakeOutcome unknown = tap("r101", AttendanceFixture.UNKNOWN_UID, "06:56");
        assertThat(((IntakeOutcome.Recorded) unknown).answers()).singleElement()
                .satisfies(a -> {
                    assertThat(a.green()).isFalse();
                    assertThat(a.outcome()).isEqualTo(TapOutcome.UNKNOWN_CARD);
                });
        assertThat(events()).hasSize(3);
        assertThat(events().get(2).attributes()).containsEntry("attendance", "unknown_card").doesNotContainKey("uid");
        assertThat(door.counters().unknownCards()).isEqualTo(1);
    }

    /**
     * Verifies that two learners' cards read at one reader in one millisecond (a reader flushing its backlog)
     * stay two taps with two ids, each answered under its own id: the codec's id leaves the UID out, the card's
     * keyed hash tells them apart. The same card twice in that millisecond is a duplicate under one id.
     */
    @Test
    void twoCardsAtOneReaderInOneMillisecondAreTwoTaps() throws Exception {
        open();
        IntakeOutcome first = tap("r101", uid(ON_TIME), "06:55");
        IntakeOutcome second = tap("r101", uid(AttendanceFixture.LATE), "06:55");

        String firstId = ((IntakeOutcome.Recorded) first).answers().get(0).tap();
        String secondId = ((IntakeOutcome.Recorded) second).answers().get(0).tap();
        assertThat(firstId).isNotEqualTo(secondId);
        List<DeviceEvent> taps = events().stream().filter(e -> e.type() == EventType.CARD_TAP).toList();
        assertThat(taps).extracting(DeviceEvent::id).containsExactly(firstId, secondId);
        assertThat(taps).extracting(e -> e.attributes().get("card_hash")).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(marks()).extracting(AttendanceMark::learnerId).containsExactlyInAnyOrder(ON_TIME, AttendanceFixture.LATE);
    }

    /**
     * Verifies that a gateway given a tap clock (the hub's demo: a school morning on a simulated clock) judges
     * and stores each tap at that clock's time of its receipt, not at the receive time: received at 21:00, the
     * tap falls at 06:55 of the school clock and is present; another received a minute later falls at 07:15
     * there (the clock runs fast) and is late.
     */
    @Test
    void aTapIsJudgedAndStoredAtTheTapClocksTimeOfItsReceipt() throws Exception {
        long received = at("21:00") - java.time.Duration.ofDays(1).toMillis();
        // the school clock: 06:55 at the first receipt, twenty times faster than the receive clock
        open(t -> at("06:55") + (t - received) * 20);
        IntakeOutcome early = intake.offer(new RawMessage("readers/r101/reader-r101", null,
                uid(ON_TIME).getBytes(StandardCharsets.US_ASCII), received));
        IntakeOutcome later = intake.offer(new RawMessage("readers/r101/reader-r101", null,
                uid(AttendanceFixture.LATE).getBytes(StandardCharsets.US_ASCII), received + 60_000));

        assertThat(((IntakeOutcome.Recorded) early).answers()).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(TapOutcome.PRESENT));
        assertThat(((IntakeOutcome.Recorded) later).answers()).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(TapOutcome.LATE));
        assertThat(events()).filteredOn(e -> e.type() == EventType.CARD_TAP).extracting(DeviceEvent::timestamp)
                .containsExactly(at("06:55"), at("07:15"));
        assertThat(marks()).extracting(AttendanceMark::category)
                .containsExactly(AttendanceCategory.PRESENT, AttendanceCategory.LATE);
        assertThat(marks()).extracting(AttendanceMark::at).containsExactly(at("06:55"), at("07:15"));
    }

    @Test
    void aRestartInTheMiddleOfTheMorningNeitherDecidesAgainNorForgets() throws Exception {
        open();
        tap("r101", uid(ON_TIME), "06:55");
        assertThat(door.clock(at("07:20"))).isTrue();
        List<AttendanceMark> before = marks();
        assertThat(before).hasSize(8); // one present, seven absent
        outbox.close();

        open(); // the rules open first, and must leave attendance's rows alone
        assertThat(door.clock(at("07:21"))).isTrue();
        assertThat(marks()).as("no absence decided twice").isEqualTo(before);
        IntakeOutcome again = tap("r101", uid(ON_TIME), "07:30");
        assertThat(((IntakeOutcome.Recorded) again).answers().get(0).outcome()).isEqualTo(TapOutcome.DUPLICATE);
        tap("r101", uid(ABSENT_THEN_LATE), "07:40");
        List<AttendanceMark> after = marks();
        assertThat(after).hasSize(9);
        AttendanceMark late = after.get(8);
        assertThat(late.learnerId()).isEqualTo(ABSENT_THEN_LATE);
        assertThat(late.category()).isEqualTo(AttendanceCategory.LATE);
        assertThat(after).extracting(AttendanceMark::eventId).doesNotHaveDuplicates();
    }

    @Test
    void noCardUidIsStoredAtTheGateway() throws Exception {
        open();
        for (String learner : AttendanceFixture.ALL) {
            tap("r101", uid(learner), "06:50");
        }
        tap("r101", AttendanceFixture.REVOKED_UID, "06:51");
        door.clock(at("07:20"));
        outbox.close();
        outbox = null;
        List<String> uids = new ArrayList<>(AttendanceFixture.ALL.stream().map(AttendanceFixture::uid).toList());
        uids.add(AttendanceFixture.REVOKED_UID);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String u : uids) {
                    assertThat(content).as("%s holds no card UID", file.getFileName()).doesNotContain(u);
                }
            }
        }
    }
}

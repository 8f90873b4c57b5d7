package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.bridge.sim.SchoolTimetableTest.local;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.sim.SchoolTimetable.Session;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DoorCardReaderTest {
    private static final long MONDAY_0600 = local("2026-03-02T06:00");
    private static final long BELL = local("2026-03-02T07:00");

    private static List<DeviceEvent> taps(SchoolSimulation sim, long until) {
        DecodedTraffic traffic = DecodedTraffic.decode(sim, sim.messagesUntil(until), m -> m.topic().startsWith("doors/"));
        assertThat(traffic.all).allSatisfy(d -> assertThat(d.result().problems()).isEmpty());
        return traffic.events();
    }

    private static ClassRoster roster(SchoolSimulation sim, String room, Session session) {
        return sim.rosters().stream().filter(r -> r.room().equals(room) && r.session() == session).findFirst().orElseThrow();
    }

    @Test
    void mostLearnersTapOnTimeSomeLateAndAFewAreAbsentOnASchoolMorning() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 12, 21, MONDAY_0600);
        List<DeviceEvent> taps = taps(sim, BELL + 15 * 60_000);

        int learners = 0;
        int onTime = 0;
        int late = 0;
        for (String room : sim.rooms()) {
            ClassRoster roster = roster(sim, room, Session.MORNING);
            Set<String> rosterUids = new HashSet<>();
            roster.learners().forEach(l -> rosterUids.add(l.cardUid()));
            // each learner's first tap in the first 15 minutes of the first period (and the arrival before it)
            Map<String, Long> first = new LinkedHashMap<>();
            taps.stream().filter(e -> e.room().equals(room)).forEach(e -> first.putIfAbsent(e.attributes().get("uid"), e.timestamp()));

            assertThat(first.keySet()).as(room).isSubsetOf(rosterUids);
            assertThat(first).as(room).hasSizeBetween(roster.size() - 3, roster.size());
            long roomOnTime = first.values().stream().filter(t -> t < BELL).count();
            assertThat((double) roomOnTime / first.size()).as(room + " on time").isGreaterThanOrEqualTo(0.75);
            assertThat(first.values()).as(room).allSatisfy(t -> assertThat(t).isBetween(BELL - 21 * 60_000, BELL + 13 * 60_000));
            learners += roster.size();
            onTime += (int) roomOnTime;
            late += first.size() - (int) roomOnTime;
        }
        int absent = learners - onTime - late;
        // designed: 8 % of those present late, 0-3 absent per class (1.5 on average)
        assertThat((double) onTime / learners).isBetween(0.85, 0.96);
        assertThat((double) late / learners).isBetween(0.03, 0.13);
        assertThat(absent).isBetween(6, 30);
    }

    @Test
    void eachTapDecodesAsACardTapOfARosterCardWithItsUidAsTheReaderFormatsIt() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 2, 3, MONDAY_0600);
        List<SimulatedMessage> messages = sim.messagesUntil(BELL).stream().filter(m -> m.topic().startsWith("doors/")).toList();
        List<DeviceEvent> taps = taps(new SchoolSimulation("thcs-a", 2, 3, MONDAY_0600), BELL);

        assertThat(messages).isNotEmpty().hasSameSizeAs(taps);
        assertThat(messages.get(0).payloadText()).matches("5C(-[0-9A-F]{2}){6}");
        assertThat(messages.get(0).topic()).matches("doors/r10[12]/r10[12]-door/tag");
        DeviceEvent tap = taps.get(0);
        assertThat(tap.type()).isEqualTo(EventType.CARD_TAP);
        assertThat(tap.attributes()).containsEntry("uid", messages.get(0).payloadText().replace("-", ""))
                .containsEntry("format", "nfc_uid").containsEntry("uid_bytes", "7");
        assertThat(tap.loggableAttributes()).containsEntry("uid", "***");
        assertThat(roster(sim, tap.room(), Session.MORNING).learners()).anyMatch(l -> l.cardUid().equals(tap.attributes().get("uid")));
    }

    @Test
    void theAfternoonClassTapsAtHalfPastOneAndNobodyTapsAtTheWeekend() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 8, 4, MONDAY_0600);
        // a week of door traffic from the readers alone: the other devices would cost the test its time
        long schoolSeed = Seeds.mix(4, "thcs-a");
        List<SimulatedMessage> week = new ArrayList<>();
        for (String room : sim.rooms()) {
            Classroom classroom = new Classroom(room, schoolSeed);
            ClassRoster pm = classroom.hasClass(Session.AFTERNOON) ? roster(sim, room, Session.AFTERNOON) : null;
            DoorCardReader reader = new DoorCardReader(classroom, roster(sim, room, Session.MORNING), pm, schoolSeed, MONDAY_0600);
            while (reader.nextAt() < local("2026-03-08T23:59")) {
                week.add(reader.next());
            }
        }
        List<DeviceEvent> taps = DecodedTraffic.decode(sim, week).events();

        for (String room : sim.rooms()) {
            boolean afternoonClass = sim.rosters().stream().anyMatch(r -> r.room().equals(room) && r.session() == Session.AFTERNOON);
            List<DeviceEvent> afternoon = taps.stream().filter(e -> e.room().equals(room))
                    .filter(e -> e.timestamp() > local("2026-03-02T12:00") && e.timestamp() < local("2026-03-02T14:00")).toList();
            if (afternoonClass) {
                Set<String> uids = new HashSet<>();
                roster(sim, room, Session.AFTERNOON).learners().forEach(l -> uids.add(l.cardUid()));
                assertThat(afternoon).as(room).isNotEmpty().allSatisfy(e -> assertThat(uids).contains(e.attributes().get("uid")));
                assertThat(afternoon).allSatisfy(e -> assertThat(e.timestamp()).isBetween(local("2026-03-02T13:09"), local("2026-03-02T13:44")));
            } else {
                assertThat(afternoon).as(room).isEmpty();
            }
        }
        assertThat(sim.rosters().stream().filter(r -> r.session() == Session.AFTERNOON).count()).isBetween(1L, 7L);
        // Monday to Friday only
        assertThat(taps).noneMatch(e -> e.timestamp() >= local("2026-03-07T00:00"));
        assertThat(taps).anyMatch(e -> e.timestamp() >= local("2026-03-06T06:00") && e.timestamp() < local("2026-03-06T08:00"));
        // no reader reads two cards in one millisecond, so no two tap events share an id
        assertThat(taps.stream().map(DeviceEvent::id).distinct().count()).isEqualTo(taps.size());
    }

    @Test
    void rostersAreSyntheticDistinctAndOfThirtyFiveToFortyFiveLearners() {
        SchoolSimulation sim = new SchoolSimulation("thcs-a", 40, 9);
        Set<String> uids = new HashSet<>();
        Set<String> learnerIds = new HashSet<>();
        int cards = 0;
        for (ClassRoster roster : sim.rosters()) {
            assertThat(roster.size()).isBetween(35, 45);
            for (ClassRoster.Learner learner : roster.learners()) {
                assertThat(learner.cardUid()).matches("5C[0-9A-F]{12}");
                assertThat(learner.learnerId()).matches("000\\d{3}\\d{3}[12]\\d\\d");
                assertThat(learnerIds.add(learner.learnerId())).as("distinct learner id").isTrue();
                uids.add(learner.cardUid());
                cards++;
            }
        }
        assertThat(uids).hasSize(cards);
        assertThat(new SchoolSimulation("thcs-a", 40, 9).rosters()).isEqualTo(sim.rosters());
        assertThat(new SchoolSimulation("thcs-b", 40, 9).rosters().get(0).learners().get(0).cardUid())
                .isNotEqualTo(sim.rosters().get(0).learners().get(0).cardUid());
    }
}

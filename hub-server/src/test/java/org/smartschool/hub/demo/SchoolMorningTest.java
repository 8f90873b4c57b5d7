package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.sim.ClassRoster;
import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SchoolTimetable;
import org.smartschool.bridge.sim.SimulatedMessage;

/** The demo's simulated school morning: its day, its clock and its door taps, without a district. */
class SchoolMorningTest {
    private static final LocalDate THURSDAY = LocalDate.of(2026, 12, 3);
    private static final SchoolMorning MORNING = new SchoolMorning(THURSDAY, 30, 10, 20);

    private static long at(String hhmm) {
        return THURSDAY.atTime(LocalTime.parse(hhmm)).atZone(SchoolMorning.ZONE).toInstant().toEpochMilli();
    }

    @Test
    void aWeekendSimulatesTheFridayBefore() {
        assertThat(SchoolMorning.schoolDay(THURSDAY)).isEqualTo(THURSDAY);
        assertThat(SchoolMorning.schoolDay(LocalDate.of(2026, 12, 4))).isEqualTo(LocalDate.of(2026, 12, 4));
        assertThat(SchoolMorning.schoolDay(LocalDate.of(2026, 12, 5))).isEqualTo(LocalDate.of(2026, 12, 4));
        assertThat(SchoolMorning.schoolDay(LocalDate.of(2026, 12, 6))).isEqualTo(LocalDate.of(2026, 12, 4));
        assertThat(SchoolMorning.schoolDay(LocalDate.of(2026, 12, 7))).isEqualTo(LocalDate.of(2026, 12, 7));
    }

    @Test
    void theMorningsTimesAndWhatTheStartSays() {
        assertThat(MORNING.fromMillis()).isEqualTo(at("06:45"));
        assertThat(MORNING.bellMillis()).isEqualTo(at("07:00"));
        assertThat(MORNING.graceEndMillis()).isEqualTo(at("07:10"));
        assertThat(MORNING.cutoffMillis()).isEqualTo(at("07:20"));
        assertThat(MORNING.stopMillis()).isEqualTo(at("07:30"));
        assertThat(MORNING.describe()).isEqualTo("simulated school morning of Thursday 2026-12-03 from 06:45 school time at"
                + " 30x: session starts 07:00 (in 30 s), late after 07:10 (50 s), absent at the 07:20 cut-off (70 s);"
                + " the door simulation and the school clock stop at 07:30 (90 s)");
        assertThatThrownBy(() -> new SchoolMorning(THURSDAY, 241, 10, 20)).hasMessageContaining("1-240");
        assertThatThrownBy(() -> new SchoolMorning(THURSDAY, 0, 10, 20)).hasMessageContaining("1-240");
    }

    /** Verifies that the clock shows 06:45 until it runs, then runs at its speed, maps a receive time, and stops at 07:30. */
    @Test
    void theClockWaitsThenRunsAtItsSpeedAndStopsAfterTheCutoff() {
        AtomicLong system = new AtomicLong(1_000_000);
        SchoolClock clock = new SchoolClock(MORNING, system::get);
        system.addAndGet(60_000);
        assertThat(clock.millis()).as("not running yet").isEqualTo(at("06:45"));
        clock.run();
        long started = system.get();
        system.addAndGet(30_000);
        assertThat(clock.millis()).isEqualTo(at("07:00"));
        assertThat(clock.at(started + 2_000)).as("a tap received 2 s after the start").isEqualTo(at("06:46"));
        assertThat(clock.at(started - 5_000)).as("before the start").isEqualTo(at("06:45"));
        system.addAndGet(60_000);
        assertThat(clock.millis()).isEqualTo(at("07:30"));
        system.addAndGet(365L * 24 * 3_600_000);
        assertThat(clock.millis()).as("stopped, a year later").isEqualTo(at("07:30"));
        clock.run(); // again: nothing changes
        assertThat(clock.millis()).isEqualTo(at("07:30"));
    }

    /**
     * Verifies that every morning class of the simulated school gets learners on time before the bell, at least
     * one late (after the grace, well before the cut-off) and 1-3 who never tap, that the lost and the visitor's
     * card are tapped at r101 before the bell, none of them a learner's card, and that the same day gives the same taps.
     */
    @Test
    void everyMorningClassHasOnTimeLateAndAbsentLearnersAndR101TwoRefusedCards() {
        List<ClassRoster> rosters = new SchoolSimulation("school-01", SchoolLayout.of(4), DemoDistrict.SEED).rosters();
        MorningDoors doors = MorningDoors.of("school-01", rosters, MORNING, DemoDistrict.SEED);
        assertThat(MorningDoors.of("school-01", rosters, MORNING, DemoDistrict.SEED).taps()).isEqualTo(doors.taps());
        assertThat(MorningDoors.of("school-02", rosters, MORNING, DemoDistrict.SEED).taps()).isNotEqualTo(doors.taps());

        Map<String, String> roomOfCard = new HashMap<>();
        for (ClassRoster r : rosters) {
            r.learners().forEach(l -> roomOfCard.put(org.smartschool.bridge.sim.ClassRoster.dashed(l.cardUid()), r.room()));
        }
        List<SimulatedMessage> taps = doors.taps();
        for (ClassRoster r : rosters) {
            if (r.session() != SchoolTimetable.Session.MORNING) {
                assertThat(doors.absentees()).doesNotContainKey(DemoRoster.classId(r));
                continue;
            }
            Set<String> cards = r.learners().stream().map(l -> org.smartschool.bridge.sim.ClassRoster.dashed(l.cardUid())).collect(Collectors.toSet());
            List<SimulatedMessage> ofClass = taps.stream().filter(t -> cards.contains(t.payloadText())).toList();
            assertThat(ofClass).allSatisfy(t -> assertThat(t.topic()).isEqualTo("doors/" + r.room() + "/" + r.room() + "-door/tag"));
            long tapped = ofClass.stream().map(SimulatedMessage::payloadText).distinct().count();
            int absent = doors.absentees().get(DemoRoster.classId(r));
            assertThat(absent).isBetween(1, 3);
            assertThat(tapped).isEqualTo(r.size() - absent);
            assertThat(ofClass).filteredOn(t -> t.timestamp() < at("07:00")).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.timestamp()).isGreaterThan(at("06:45")));
            assertThat(ofClass).filteredOn(t -> t.timestamp() >= at("07:00")).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.timestamp()).isBetween(at("07:11"), at("07:15") + 6_000));
        }
        List<SimulatedMessage> strangers = taps.stream().filter(t -> !roomOfCard.containsKey(t.payloadText())).toList();
        assertThat(strangers).hasSize(2).allSatisfy(t -> {
            assertThat(t.topic()).isEqualTo("doors/r101/r101-door/tag");
            assertThat(t.timestamp()).isBetween(at("06:45"), at("07:00"));
        });
        assertThat(doors.revokedCards()).hasSize(1);
        String lost = org.smartschool.bridge.sim.ClassRoster.dashed(doors.revokedCards().values().iterator().next());
        assertThat(strangers).extracting(SimulatedMessage::payloadText).contains(lost);
        assertThat(taps).extracting(SimulatedMessage::timestamp).isSorted().doesNotHaveDuplicates();
        // taken as the clock passes them, each once
        assertThat(doors.until(at("06:45"))).isEmpty();
        int first = doors.until(at("07:00")).size();
        assertThat(first + doors.until(at("07:30")).size()).isEqualTo(taps.size());
        assertThat(doors.until(at("07:30"))).isEmpty();
    }
}

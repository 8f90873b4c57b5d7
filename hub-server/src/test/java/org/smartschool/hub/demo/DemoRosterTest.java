package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.sim.ClassRoster;
import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.hub.roster.Roster;
import org.smartschool.hub.roster.RosterCsv;

class DemoRosterTest {
    @Test
    void theSimulatedClassesMakeARosterTheHubTakes() {
        SchoolSimulation simulation = new SchoolSimulation("school-01", SchoolLayout.of(3), DemoDistrict.SEED, 1L);
        List<ClassRoster> rosters = simulation.rosters();
        Roster roster = RosterCsv.read(DemoRoster.files(rosters, LocalDate.of(2026, 12, 3)),
                DemoInventory.simulatedRooms(3).keySet());
        int learners = rosters.stream().mapToInt(ClassRoster::size).sum();
        assertThat(roster.learners()).hasSize(learners);
        assertThat(roster.timetable().classes()).hasSize(rosters.size());
        assertThat(roster.cards()).hasSize(learners);
        assertThat(roster.learners().get(0).id()).isEqualTo(rosters.get(0).learners().get(0).learnerId());
    }

    /** Verifies that the morning's lost card is the learner's second card, revoked, beside the active one. */
    @Test
    void theMorningsLostCardIsRevokedBesideTheLearnersActiveCard() {
        SchoolSimulation simulation = new SchoolSimulation("school-01", SchoolLayout.of(2), DemoDistrict.SEED, 1L);
        List<ClassRoster> rosters = simulation.rosters();
        MorningDoors doors = MorningDoors.of("school-01", rosters, new SchoolMorning(LocalDate.of(2026, 12, 3), 30, 10, 20),
                DemoDistrict.SEED);
        Roster roster = RosterCsv.read(DemoRoster.files(rosters, LocalDate.of(2026, 12, 3), doors.revokedCards()),
                DemoInventory.simulatedRooms(2).keySet());
        String learner = doors.revokedCards().keySet().iterator().next();
        int learners = rosters.stream().mapToInt(ClassRoster::size).sum();
        assertThat(roster.cards()).hasSize(learners + 1);
        assertThat(roster.cards()).filteredOn(org.smartschool.hub.roster.Card::revoked).singleElement()
                .satisfies(c -> assertThat(c.learner()).isEqualTo(learner));
        assertThat(roster.cards()).filteredOn(c -> c.learner().equals(learner)).extracting(c -> c.revoked())
                .containsExactlyInAnyOrder(true, false);
    }
}

package org.smartschool.gateway.attendance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.smartschool.gateway.support.AttendanceFixture;

/** A day's slots, asked for as each tap asks: all of them and one class's, on days in turn (the plan keeps the last day's). */
class AttendancePlanTest {
    private static final LocalDate THURSDAY = AttendanceFixture.DAY;
    private static final LocalDate FRIDAY = THURSDAY.plusDays(1);

    /** Verifies that a class's slots are its own, by day (the lab section's period on Thursdays only), whichever day was asked before. */
    @Test
    void aClassesSlotsFollowTheDayAskedFor() {
        AttendancePlan plan = AttendanceFixture.plan();

        assertThat(plan.slotsOf("10a1-chem", THURSDAY)).extracting(Slot::period, Slot::room).containsExactly(
                org.assertj.core.groups.Tuple.tuple("p3", "lab1"));
        assertThat(plan.slotsOf("6a", THURSDAY)).extracting(Slot::session, Slot::room, Slot::start).containsExactly(
                org.assertj.core.groups.Tuple.tuple("morning", "r101", AttendanceFixture.at("07:00")));
        assertThat(plan.slotsOn(THURSDAY)).extracting(Slot::classId).containsExactly("6a", "6b", "10a1-chem");

        assertThat(plan.slotsOf("10a1-chem", FRIDAY)).isEmpty();
        assertThat(plan.slotsOf("6a", FRIDAY)).extracting(Slot::date, Slot::start).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FRIDAY, AttendanceFixture.at("07:00") + 86_400_000L));
        assertThat(plan.slotsOf("10a1-chem", THURSDAY)).hasSize(1);
        assertThat(plan.slotsOf("no-such-class", THURSDAY)).isEmpty();
        // a day off (the term's noSchool) has no slots at all
        assertThat(plan.slotsOn(LocalDate.of(2027, 1, 1))).isEmpty();
        assertThat(plan.slotsOf("6a", LocalDate.of(2027, 1, 1))).isEmpty();
    }
}

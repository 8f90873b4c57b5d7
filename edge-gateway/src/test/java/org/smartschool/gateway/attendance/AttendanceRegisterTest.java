package org.smartschool.gateway.attendance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.gateway.support.AttendanceFixture.ABSENT_THEN_LATE;
import static org.smartschool.gateway.support.AttendanceFixture.CHEMIST;
import static org.smartschool.gateway.support.AttendanceFixture.EXCUSED;
import static org.smartschool.gateway.support.AttendanceFixture.LATE;
import static org.smartschool.gateway.support.AttendanceFixture.LOST_CARD;
import static org.smartschool.gateway.support.AttendanceFixture.ON_TIME;
import static org.smartschool.gateway.support.AttendanceFixture.REVOKED_UID;
import static org.smartschool.gateway.support.AttendanceFixture.SKIPS_LAB;
import static org.smartschool.gateway.support.AttendanceFixture.UNKNOWN_UID;
import static org.smartschool.gateway.support.AttendanceFixture.WANDERER;
import static org.smartschool.gateway.support.AttendanceFixture.at;
import static org.smartschool.gateway.support.AttendanceFixture.uid;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.attendance.AttendanceMark;
import org.smartschool.bridge.attendance.CardHash;
import org.smartschool.gateway.support.AttendanceFixture;

/** The decisions of a whole simulated school morning, without outbox or sockets. */
class AttendanceRegisterTest {
    private final Map<String, byte[]> stored = new HashMap<>();
    private final List<AttendanceMark> events = new ArrayList<>();

    private AttendanceRegister register() {
        AttendanceRegister r = new AttendanceRegister(AttendanceFixture.SCHOOL, "gw-att");
        r.mark();
        r.replace(AttendanceFixture.plan(), at("06:00"));
        save(r);
        return r;
    }

    /** Commits as the outbox would, keeping the rows it would store. */
    private void save(AttendanceRegister r) {
        r.changedState().forEach((k, v) -> {
            if (v == null) {
                stored.remove(k);
            } else {
                stored.put(k, v);
            }
        });
        r.commit();
    }

    private AttendanceRegister.TapResult tap(AttendanceRegister r, String room, String uid, String hhmmss) {
        r.mark();
        AttendanceRegister.TapResult result = r.tap(room, "reader-" + room, uid, at(hhmmss));
        events.addAll(result.marks());
        save(r);
        return result;
    }

    private List<AttendanceMark> clock(AttendanceRegister r, String hhmm) {
        r.mark();
        List<AttendanceMark> marks = r.clock(at(hhmm));
        events.addAll(marks);
        save(r);
        return marks;
    }

    private static AttendanceMark only(List<AttendanceMark> marks, String learner) {
        return marks.stream().filter(m -> m.learnerId().equals(learner)).reduce((a, b) -> {
            throw new AssertionError("two marks");
        }).orElseThrow();
    }

    @Test
    void decidesAWholeMorning() {
        AttendanceRegister r = register();

        AttendanceRegister.TapResult onTime = tap(r, "r101", uid(ON_TIME), "06:55");
        assertThat(onTime.outcome()).isEqualTo(TapOutcome.PRESENT);
        assertThat(onTime.green()).isTrue();
        assertThat(onTime.cardHash()).isEqualTo(CardHash.of(AttendanceFixture.KEY, uid(ON_TIME)));
        AttendanceMark present = onTime.marks().get(0);
        assertThat(present.category()).isEqualTo(AttendanceCategory.PRESENT);
        assertThat(present.cause()).isEqualTo(AttendanceMark.Cause.TAP);
        assertThat(present.classId()).isEqualTo("6a");
        assertThat(present.session()).isEqualTo("morning");
        assertThat(present.period()).isNull();
        assertThat(present.date()).isEqualTo(AttendanceFixture.DAY);
        assertThat(present.room()).isEqualTo("r101");
        assertThat(present.device()).isEqualTo("reader-r101");
        assertThat(present.at()).isEqualTo(at("06:55"));
        assertThat(present.eventId()).hasSize(47).startsWith("att-").doesNotContain(ON_TIME);

        // the same card a second later: debounced, green again, nothing decided
        assertThat(tap(r, "r101", uid(ON_TIME), "06:55:30").outcome()).isEqualTo(TapOutcome.DUPLICATE);
        assertThat(tap(r, "r101", uid(ON_TIME), "07:30")).satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TapOutcome.DUPLICATE);
            assertThat(t.green()).isTrue();
            assertThat(t.marks()).isEmpty();
        });

        assertThat(tap(r, "r101", uid(LATE), "07:15").outcome()).isEqualTo(TapOutcome.LATE);
        // the wrong door first, then the right one before the grace ends
        AttendanceRegister.TapResult wrong = tap(r, "r102", uid(WANDERER), "07:05");
        assertThat(wrong.outcome()).isEqualTo(TapOutcome.WRONG_ROOM);
        assertThat(wrong.green()).isFalse();
        assertThat(wrong.marks()).isEmpty();
        assertThat(tap(r, "r101", uid(WANDERER), "07:10").outcome()).isEqualTo(TapOutcome.PRESENT);

        assertThat(tap(r, "r101", REVOKED_UID, "07:01").outcome()).isEqualTo(TapOutcome.REVOKED_CARD);
        assertThat(tap(r, "r101", uid(LOST_CARD).replace("06", "60"), "07:01").outcome()).isEqualTo(TapOutcome.UNKNOWN_CARD);
        AttendanceRegister.TapResult unknown = tap(r, "r101", UNKNOWN_UID, "07:02");
        assertThat(unknown.outcome()).isEqualTo(TapOutcome.UNKNOWN_CARD);
        assertThat(unknown.green()).isFalse();
        assertThat(tap(r, "r101", "not a card", "07:02").outcome()).isEqualTo(TapOutcome.UNKNOWN_CARD);

        assertThat(tap(r, "r102", uid(CHEMIST), "07:00").outcome()).isEqualTo(TapOutcome.PRESENT);
        assertThat(tap(r, "r102", uid(SKIPS_LAB), "06:50").outcome()).isEqualTo(TapOutcome.PRESENT);

        // before the cut-off nobody is absent
        assertThat(clock(r, "07:19")).isEmpty();
        List<AttendanceMark> cutoff = clock(r, "07:20");
        assertThat(cutoff).extracting(AttendanceMark::learnerId).containsExactlyInAnyOrder(ABSENT_THEN_LATE, EXCUSED, LOST_CARD);
        assertThat(only(cutoff, ABSENT_THEN_LATE).category()).isEqualTo(AttendanceCategory.UNEXCUSED_ABSENCE);
        assertThat(only(cutoff, ABSENT_THEN_LATE).cause()).isEqualTo(AttendanceMark.Cause.CUTOFF);
        assertThat(only(cutoff, ABSENT_THEN_LATE).device()).isEqualTo("gw-att");
        assertThat(only(cutoff, ABSENT_THEN_LATE).room()).isEqualTo("r101");
        assertThat(only(cutoff, ABSENT_THEN_LATE).at()).isEqualTo(at("07:20"));
        assertThat(only(cutoff, EXCUSED).category()).isEqualTo(AttendanceCategory.EXCUSED_ABSENCE);
        assertThat(only(cutoff, EXCUSED).cause()).isEqualTo(AttendanceMark.Cause.EXCUSE);
        assertThat(clock(r, "07:25")).as("a cut-off is judged once").isEmpty();

        // absent, then a tap: late, a new event with its own id
        AttendanceRegister.TapResult lateAfterAll = tap(r, "r101", uid(ABSENT_THEN_LATE), "08:00");
        assertThat(lateAfterAll.outcome()).isEqualTo(TapOutcome.LATE);
        assertThat(lateAfterAll.marks().get(0).cause()).isEqualTo(AttendanceMark.Cause.TAP);
        assertThat(lateAfterAll.marks().get(0).eventId()).isNotEqualTo(only(cutoff, ABSENT_THEN_LATE).eventId());

        // the lab: a period of a section, in its own room, inside the homeroom's morning
        AttendanceRegister.TapResult lab = tap(r, "lab1", uid(CHEMIST), "08:58");
        assertThat(lab.outcome()).isEqualTo(TapOutcome.PRESENT);
        assertThat(lab.marks().get(0).classId()).isEqualTo("10a1-chem");
        assertThat(lab.marks().get(0).period()).isEqualTo("p3");
        assertThat(lab.marks().get(0).session()).isEqualTo("morning");
        List<AttendanceMark> labCutoff = clock(r, "09:20");
        assertThat(labCutoff).hasSize(1);
        assertThat(only(labCutoff, SKIPS_LAB).period()).isEqualTo("p3");
        assertThat(only(labCutoff, SKIPS_LAB).room()).isEqualTo("lab1");
        assertThat(only(labCutoff, SKIPS_LAB).category()).isEqualTo(AttendanceCategory.UNEXCUSED_ABSENCE);

        // after the morning, and on a day off, no session
        assertThat(tap(r, "r101", uid(LATE), "12:00").outcome()).isEqualTo(TapOutcome.NO_SESSION);

        // every learner has exactly one decision per slot but the corrected one; ids unique
        assertThat(events).extracting(AttendanceMark::eventId).doesNotHaveDuplicates();
        assertThat(events).hasSize(5 + 3 + 1 + 1 + 1);
    }

    @Test
    void eventIdsAreTheSameForTheSameDecisionAndRevealNoLearner() {
        AttendanceRegister first = register();
        String id = tap(first, "r101", uid(ON_TIME), "06:55").marks().get(0).eventId();
        stored.clear();
        AttendanceRegister second = register();
        assertThat(tap(second, "r101", uid(ON_TIME), "06:58").marks().get(0).eventId()).isEqualTo(id);
        assertThat(id).matches("att-[A-Za-z0-9_-]{43}");
    }

    @Test
    void aRestartedRegisterGoesOnWithTheStoredDecisions() {
        AttendanceRegister r = register();
        tap(r, "r101", uid(ON_TIME), "06:55");
        List<AttendanceMark> cutoff = clock(r, "07:20");
        assertThat(cutoff).hasSize(7); // 6a and 6b but the one who tapped

        AttendanceRegister restarted = new AttendanceRegister(AttendanceFixture.SCHOOL, "gw-att");
        assertThat(restarted.restore(stored)).isEmpty();
        restarted.start(AttendanceFixture.plan());
        assertThat(clock(restarted, "07:21")).as("the cut-off's absences are not decided again").isEmpty();
        assertThat(tap(restarted, "r101", uid(ON_TIME), "07:30").outcome()).isEqualTo(TapOutcome.DUPLICATE);
        AttendanceRegister.TapResult late = tap(restarted, "r101", uid(ABSENT_THEN_LATE), "07:40");
        assertThat(late.outcome()).isEqualTo(TapOutcome.LATE);
    }

    @Test
    void aRolledBackDecisionIsDecidedAgainTheSameWay() {
        AttendanceRegister r = register();
        r.mark();
        AttendanceRegister.TapResult first = r.tap("r101", "reader-r101", uid(ON_TIME), at("06:55"));
        r.rollback(); // the outbox could not store it: the reader's message comes again
        r.mark();
        AttendanceRegister.TapResult again = r.tap("r101", "reader-r101", uid(ON_TIME), at("06:55"));
        assertThat(again.outcome()).isEqualTo(TapOutcome.PRESENT);
        assertThat(again.marks()).isEqualTo(first.marks());
    }

    @Test
    void noAbsencesForSlotsThatStartedBeforeAttendanceWasSwitchedOn() {
        AttendanceRegister r = new AttendanceRegister(AttendanceFixture.SCHOOL, "gw-att");
        r.mark();
        r.replace(AttendanceFixture.plan(), at("08:30"));
        save(r);
        assertThat(clock(r, "09:30")).as("the morning began before; the lab at 09:00 did not")
                .extracting(AttendanceMark::learnerId).containsExactlyInAnyOrder(CHEMIST, SKIPS_LAB);
    }

    @Test
    void aNewDayForgetsYesterdaysDecisions() {
        AttendanceRegister r = register();
        tap(r, "r101", uid(ON_TIME), "06:55");
        assertThat(stored.keySet()).anyMatch(k -> k.startsWith("att:d:2026-12-03"));
        r.mark();
        r.clock(at("06:00") + 86_400_000L);
        save(r);
        assertThat(stored.keySet()).noneMatch(k -> k.startsWith("att:d:"));
        assertThat(r.decisionCount()).isZero();
    }

    @Test
    void aDayOffHasNoSessions() {
        AttendanceRegister r = register();
        long newYear = LocalDate.of(2027, 1, 1).atTime(7, 5).atZone(AttendanceFixture.ZONE).toInstant().toEpochMilli();
        r.mark();
        assertThat(r.tap("r101", "reader-r101", uid(ON_TIME), newYear).outcome()).isEqualTo(TapOutcome.NO_SESSION);
        assertThat(r.clock(newYear + 3_600_000L)).isEmpty();
    }
}

package org.smartschool.hub.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;

class AlarmLifecycleTest {
    private static final long T0 = 1_796_600_000_000L;
    private static final long MINUTE = 60_000;
    private static final String ID = AlarmId.of("s1", "r101/r101-air", "co2", T0);

    private static AlarmTransition t(Kind kind, Severity severity, long at, double value) {
        return new AlarmTransition(ID, "s1", "r101", "r101-air", "co2", kind, severity, T0, at, value, kind.id() + " " + value);
    }

    /** A CO2 alarm's life as a gateway reports it: warning, major, critical, major, cleared. */
    private static final List<AlarmTransition> LIFE = List.of(
            t(Kind.RAISED, Severity.WARNING, T0, 1200),
            t(Kind.SEVERITY_CHANGED, Severity.MAJOR, T0 + 10 * MINUTE, 1560),
            t(Kind.SEVERITY_CHANGED, Severity.CRITICAL, T0 + 40 * MINUTE, 2100),
            t(Kind.SEVERITY_CHANGED, Severity.MAJOR, T0 + 70 * MINUTE, 1520),
            t(Kind.CLEARED, Severity.MAJOR, T0 + 90 * MINUTE, 850));

    private static AlarmRecord applyAll(List<AlarmTransition> transitions, List<AlarmHistoryEntry> history) {
        AlarmRecord alarm = null;
        for (AlarmTransition t : transitions) {
            AlarmLifecycle.Step step = AlarmLifecycle.apply(alarm, t);
            alarm = step.alarm();
            history.add(step.entry());
        }
        return alarm;
    }

    @Test
    void theAlarmIsTheSameWhateverOrderItsTransitionsArriveInAndHoweverOften() {
        AlarmRecord inOrder = applyAll(LIFE, new ArrayList<>());
        assertEquals(AlarmStatus.CLEARED, inOrder.status());
        assertEquals(Severity.MAJOR, inOrder.severity());
        assertEquals(T0 + 90 * MINUTE, inOrder.clearedAt());
        assertEquals(T0, inOrder.raisedAt());

        Set<AlarmRecord> outcomes = new HashSet<>();
        permutations(new ArrayList<>(LIFE), 0, p -> {
            List<AlarmTransition> twice = new ArrayList<>(p);
            twice.addAll(p.subList(0, 2)); // a replay of the first two after the rest
            outcomes.add(applyAll(twice, new ArrayList<>()));
        });
        assertEquals(Set.of(inOrder), outcomes, "all 120 orders, with replays, end in one alarm");
    }

    @Test
    void whileTheConditionHoldsTheLatestSeverityByItsOwnTimeWins() {
        List<AlarmTransition> late = List.of(LIFE.get(0), LIFE.get(2), LIFE.get(1)); // major arrives after critical
        AlarmRecord alarm = applyAll(late, new ArrayList<>());
        assertEquals(Severity.CRITICAL, alarm.severity());
        assertEquals(AlarmStatus.ACTIVE, alarm.status());
        assertEquals(2100.0, alarm.value());
    }

    @Test
    void historyKeysAreStableSoAStoreKeepsEachStepOnce() {
        List<AlarmHistoryEntry> first = new ArrayList<>();
        List<AlarmHistoryEntry> again = new ArrayList<>();
        applyAll(LIFE, first);
        applyAll(LIFE, again);
        assertEquals(first, again);
        assertEquals(5, first.stream().map(AlarmHistoryEntry::key).distinct().count());
        assertEquals(List.of("raised", "severity_changed", "severity_changed", "severity_changed", "cleared"),
                first.stream().map(AlarmHistoryEntry::what).toList());
    }

    @Test
    void anAcknowledgementIsKeptOnceAndAClearedAlarmCanStillBeAcknowledged() throws Exception {
        AlarmRecord raised = applyAll(LIFE.subList(0, 2), new ArrayList<>());
        AlarmLifecycle.Step acked = AlarmLifecycle.acknowledge(raised, new Acknowledgement("thu.nguyen", "windows opened", T0 + 12 * MINUTE));
        assertEquals(AlarmStatus.ACKNOWLEDGED, acked.alarm().status());
        assertEquals("thu.nguyen", acked.entry().by());
        assertEquals("windows opened", acked.entry().note());
        AlarmConflictException twice = assertThrows(AlarmConflictException.class,
                () -> AlarmLifecycle.acknowledge(acked.alarm(), new Acknowledgement("someone.else", "", T0 + 13 * MINUTE)));
        assertTrue(twice.getMessage().contains("already acknowledged by thu.nguyen"), twice.getMessage());

        AlarmRecord cleared = AlarmLifecycle.apply(acked.alarm(), LIFE.get(4)).alarm();
        assertEquals(AlarmStatus.CLEARED, cleared.status());
        assertEquals("thu.nguyen", cleared.acknowledgement().by(), "clearing keeps who acknowledged");

        AlarmRecord clearedUnseen = applyAll(LIFE, new ArrayList<>());
        AlarmRecord seenLater = AlarmLifecycle.acknowledge(clearedUnseen, new Acknowledgement("thu.nguyen", "", T0 + 2 * 60 * MINUTE)).alarm();
        assertEquals(AlarmStatus.CLEARED, seenLater.status());
        assertEquals("thu.nguyen", seenLater.acknowledgement().by());
    }

    @Test
    void anUnacknowledgedAlarmIsEscalatedOnceWhenItsTimeIsUp() throws Exception {
        AlarmRecord raised = applyAll(LIFE.subList(0, 1), new ArrayList<>());
        assertTrue(AlarmLifecycle.escalate(raised, T0 + 15 * MINUTE - 1, 15 * MINUTE).isEmpty(), "not yet");
        AlarmLifecycle.Step escalated = AlarmLifecycle.escalate(raised, T0 + 17 * MINUTE, 15 * MINUTE).orElseThrow();
        assertEquals(T0 + 15 * MINUTE, escalated.alarm().escalatedAt(), "due at raise + 15 min, whenever the check ran");
        assertEquals("escalated:" + ID, escalated.entry().key());
        assertTrue(AlarmLifecycle.escalate(escalated.alarm(), T0 + 30 * MINUTE, 15 * MINUTE).isEmpty(), "once");

        AlarmRecord acked = AlarmLifecycle.acknowledge(raised, new Acknowledgement("an", "", T0 + MINUTE)).alarm();
        assertTrue(AlarmLifecycle.escalate(acked, T0 + 60 * MINUTE, 15 * MINUTE).isEmpty(), "acknowledged in time");
        AlarmRecord cleared = AlarmLifecycle.apply(raised, LIFE.get(4)).alarm();
        assertTrue(AlarmLifecycle.escalate(cleared, T0 + 120 * MINUTE, 15 * MINUTE).isEmpty(), "over before anyone was due");
        assertNull(cleared.escalatedAt());
    }

    @Test
    void aReRaiseAfterAClearIsAnotherAlarm() {
        String again = AlarmId.of("s1", "r101/r101-air", "co2", T0 + 120 * MINUTE);
        AlarmTransition second = new AlarmTransition(again, "s1", "r101", "r101-air", "co2", Kind.RAISED, Severity.WARNING,
                T0 + 120 * MINUTE, T0 + 120 * MINUTE, 1100, "");
        AlarmRecord first = applyAll(LIFE, new ArrayList<>());
        assertThrows(IllegalArgumentException.class, () -> AlarmLifecycle.apply(first, second));
        assertEquals(AlarmStatus.ACTIVE, AlarmLifecycle.apply(null, second).alarm().status());
    }

    private static void permutations(List<AlarmTransition> items, int k, java.util.function.Consumer<List<AlarmTransition>> each) {
        if (k == items.size()) {
            each.accept(List.copyOf(items));
            return;
        }
        for (int i = k; i < items.size(); i++) {
            java.util.Collections.swap(items, k, i);
            permutations(items, k + 1, each);
            java.util.Collections.swap(items, k, i);
        }
    }
}

package org.smartschool.hub.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.alarm.Acknowledgement;
import org.smartschool.hub.alarm.AlarmConflictException;
import org.smartschool.hub.alarm.AlarmHistoryEntry;
import org.smartschool.hub.alarm.AlarmLifecycle;
import org.smartschool.hub.alarm.AlarmQuery;
import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.alarm.AlarmStatus;
import org.smartschool.hub.config.StateConfig;

/** What every alarm store does, run on SQLite and on the real PostgreSQL of {@code .ci/run}. */
abstract class AlarmStoreContract {
    private static final long T0 = 1_796_600_000_000L;
    private static final long MINUTE = 60_000;

    private StateConfig config;
    private StateDatabase db;
    private JdbcAlarmStore store;

    abstract StateConfig emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        config = emptyDatabase();
        db = StateDatabase.open(config);
        store = new JdbcAlarmStore(db, java.time.Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<AlarmTransition> life(String school, String room, long raisedAt) {
        String id = AlarmId.of(school, room + "/" + room + "-air", "co2", raisedAt);
        return List.of(
                t(id, school, room, Kind.RAISED, Severity.WARNING, raisedAt, raisedAt, 1200),
                t(id, school, room, Kind.SEVERITY_CHANGED, Severity.MAJOR, raisedAt, raisedAt + 10 * MINUTE, 1560),
                t(id, school, room, Kind.SEVERITY_CHANGED, Severity.CRITICAL, raisedAt, raisedAt + 40 * MINUTE, 2100),
                t(id, school, room, Kind.CLEARED, Severity.CRITICAL, raisedAt, raisedAt + 90 * MINUTE, 850));
    }

    private static AlarmTransition t(String id, String school, String room, Kind kind, Severity severity, long raisedAt,
                                     long at, double value) {
        return new AlarmTransition(id, school, room, room + "-air", "co2", kind, severity, raisedAt, at, value,
                kind.id() + " at " + value + " ppm");
    }

    private static AlarmRecord inMemory(List<AlarmTransition> transitions) {
        AlarmRecord alarm = null;
        for (AlarmTransition t : transitions) {
            alarm = AlarmLifecycle.apply(alarm, t).alarm();
        }
        return alarm;
    }

    @Test
    void eachStepIsKeptOnceAndTheAlarmIsAsTheLifecycleSays() {
        List<AlarmTransition> life = life("s1", "r101", T0);
        for (AlarmTransition t : life) {
            assertTrue(store.apply(t).isPresent(), "first time: " + t.kind());
        }
        for (AlarmTransition t : life) {
            assertEquals(Optional.empty(), store.apply(t), "a replay changes nothing: " + t.kind());
        }
        String id = life.get(0).alarmId();
        assertEquals(Optional.of(inMemory(life)), store.alarm(id));
        assertEquals(List.of("raised", "severity_changed", "severity_changed", "cleared"),
                store.history(id).stream().map(AlarmHistoryEntry::what).toList());
        assertEquals(List.of(T0, T0 + 10 * MINUTE, T0 + 40 * MINUTE, T0 + 90 * MINUTE),
                store.history(id).stream().map(AlarmHistoryEntry::at).toList());
    }

    @Test
    void transitionsArrivingInReverseOrderEndInTheSameAlarm() {
        List<AlarmTransition> reversed = new ArrayList<>(life("s1", "r101", T0));
        Collections.reverse(reversed);
        reversed.forEach(store::apply);
        AlarmRecord stored = store.alarm(reversed.get(0).alarmId()).orElseThrow();
        assertEquals(inMemory(life("s1", "r101", T0)), stored);
        assertEquals(AlarmStatus.CLEARED, stored.status());
        assertEquals(Severity.CRITICAL, stored.severity());
    }

    @Test
    void oneAcknowledgementWinsAndTheOthersAreTold() throws Exception {
        AlarmTransition raised = life("s1", "r101", T0).get(0);
        store.apply(raised);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String who = "operator-" + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    store.acknowledge(raised.alarmId(), new Acknowledgement(who, "on my way", T0 + MINUTE));
                    return "ok";
                } catch (AlarmConflictException e) {
                    return e.getMessage();
                }
            }));
        }
        start.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(1, outcomes.stream().filter("ok"::equals).count(), outcomes.toString());
        AlarmRecord acked = store.alarm(raised.alarmId()).orElseThrow();
        assertEquals(AlarmStatus.ACKNOWLEDGED, acked.status());
        assertTrue(outcomes.stream().filter(o -> !o.equals("ok"))
                .allMatch(o -> o.endsWith("already acknowledged by " + acked.acknowledgement().by())), outcomes.toString());
        List<AlarmHistoryEntry> history = store.history(raised.alarmId());
        assertEquals(List.of("raised", "acknowledged"), history.stream().map(AlarmHistoryEntry::what).toList());
        assertEquals("on my way", history.get(1).note());
        assertThrows(java.util.NoSuchElementException.class,
                () -> store.acknowledge("no-such-alarm", new Acknowledgement("x", "", T0)));
    }

    @Test
    void escalationHappensOnceForAlarmsNobodyTookOn() throws Exception {
        AlarmTransition ignored = life("s1", "r101", T0).get(0);
        AlarmTransition seen = life("s1", "r102", T0).get(0);
        AlarmTransition over = life("s1", "r103", T0).get(0);
        store.apply(ignored);
        store.apply(seen);
        store.apply(over);
        store.apply(life("s1", "r103", T0).get(3));
        store.acknowledge(seen.alarmId(), new Acknowledgement("an", "", T0 + MINUTE));
        assertEquals(List.of(), store.escalateDue(T0 + 14 * MINUTE, 15 * MINUTE), "not yet");
        List<AlarmLifecycle.Step> escalated = store.escalateDue(T0 + 16 * MINUTE, 15 * MINUTE);
        assertEquals(List.of(ignored.alarmId()), escalated.stream().map(s -> s.alarm().id()).toList());
        assertEquals(T0 + 15 * MINUTE, store.alarm(ignored.alarmId()).orElseThrow().escalatedAt());
        assertEquals(List.of(), store.escalateDue(T0 + 30 * MINUTE, 15 * MINUTE), "once");
    }

    @Test
    void alarmsAreFoundBySchoolStateSeverityAndTime() throws Exception {
        store.apply(life("s1", "r101", T0).get(0));                       // s1 active warning
        life("s1", "r102", T0 + MINUTE).forEach(store::apply);             // s1 cleared critical
        store.apply(life("s2", "r201", T0 + 2 * MINUTE).get(0));          // s2 acknowledged warning
        store.acknowledge(life("s2", "r201", T0 + 2 * MINUTE).get(0).alarmId(), new Acknowledgement("bao", "", T0 + 3 * MINUTE));
        assertEquals(List.of("r201", "r102", "r101"), rooms(new AlarmQuery(null, null, null, null, null, 100)), "newest first");
        assertEquals(List.of("r102", "r101"), rooms(new AlarmQuery("s1", null, null, null, null, 100)));
        assertEquals(List.of("r101"), rooms(new AlarmQuery(null, AlarmStatus.ACTIVE, null, null, null, 100)));
        assertEquals(List.of("r201"), rooms(new AlarmQuery(null, AlarmStatus.ACKNOWLEDGED, null, null, null, 100)));
        assertEquals(List.of("r102"), rooms(new AlarmQuery(null, AlarmStatus.CLEARED, null, null, null, 100)));
        assertEquals(List.of("r102"), rooms(new AlarmQuery(null, null, Severity.CRITICAL, null, null, 100)));
        assertEquals(List.of("r102"), rooms(new AlarmQuery(null, null, null, T0 + MINUTE, T0 + 2 * MINUTE, 100)));
        assertEquals(List.of("r201"), rooms(new AlarmQuery(null, null, null, null, null, 1)));
    }

    @Test
    void alarmsOutliveTheDatabaseConnectionAndTheProcess() {
        life("s1", "r101", T0).subList(0, 2).forEach(store::apply);
        db.close();
        db = StateDatabase.open(config);
        store = new JdbcAlarmStore(db, java.time.Clock.systemUTC());
        AlarmRecord reopened = store.alarm(life("s1", "r101", T0).get(0).alarmId()).orElseThrow();
        assertEquals(Severity.MAJOR, reopened.severity());
        assertEquals(1560.0, reopened.value());
        assertEquals(Optional.empty(), store.apply(life("s1", "r101", T0).get(1)), "still known as applied");
    }

    private List<String> rooms(AlarmQuery q) {
        return store.alarms(q).stream().map(AlarmRecord::room).toList();
    }
}

package org.smartschool.hub.alarm;

import java.util.List;
import java.util.Optional;

import org.smartschool.bridge.alarm.AlarmTransition;

/**
 * Where the hub keeps alarms and their history: the state database, so that alarms survive a
 * restart and every hub replica sees the same. Blocking and thread-safe.
 */
public interface AlarmStore {

    /**
     * Applies a transition in one transaction.
     *
     * @return the step when it is new, empty when this transition was applied before (a replay)
     */
    Optional<AlarmLifecycle.Step> apply(AlarmTransition transition);

    /**
     * @throws AlarmConflictException when somebody acknowledged it already
     * @throws java.util.NoSuchElementException when there is no such alarm
     */
    AlarmLifecycle.Step acknowledge(String alarmId, Acknowledgement ack) throws AlarmConflictException;

    /** Escalates every active alarm left unacknowledged for {@code afterMillis}; returns the escalations made now. */
    List<AlarmLifecycle.Step> escalateDue(long now, long afterMillis);

    Optional<AlarmRecord> alarm(String alarmId);

    /** The alarm of this rule on this source that has not cleared yet, if any (the latest raised). */
    Optional<AlarmRecord> open(String school, String room, String device, String rule);

    /** The alarm's history, oldest first. */
    List<AlarmHistoryEntry> history(String alarmId);

    /** Alarms matching the query, the most recently raised first. */
    List<AlarmRecord> alarms(AlarmQuery query);
}

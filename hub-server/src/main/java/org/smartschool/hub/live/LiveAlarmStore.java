package org.smartschool.hub.live;

import java.util.List;
import java.util.Optional;

import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.hub.alarm.Acknowledgement;
import org.smartschool.hub.alarm.AlarmConflictException;
import org.smartschool.hub.alarm.AlarmHistoryEntry;
import org.smartschool.hub.alarm.AlarmLifecycle;
import org.smartschool.hub.alarm.AlarmQuery;
import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.alarm.AlarmStore;

/**
 * The alarm store, which also publishes every new step of an alarm (raised, changed, cleared, acknowledged,
 * escalated) once it is stored; a replayed transition (no new step) publishes nothing.
 */
public final class LiveAlarmStore implements AlarmStore {
    private final AlarmStore store;
    private final LiveEvents events;

    public LiveAlarmStore(AlarmStore store, LiveEvents events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public Optional<AlarmLifecycle.Step> apply(AlarmTransition transition) {
        Optional<AlarmLifecycle.Step> step = store.apply(transition);
        step.ifPresent(s -> publish(s, transition.kind().name()));
        return step;
    }

    @Override
    public AlarmLifecycle.Step acknowledge(String alarmId, Acknowledgement ack) throws AlarmConflictException {
        AlarmLifecycle.Step step = store.acknowledge(alarmId, ack);
        publish(step, "acknowledged");
        return step;
    }

    @Override
    public List<AlarmLifecycle.Step> escalateDue(long now, long afterMillis) {
        List<AlarmLifecycle.Step> steps = store.escalateDue(now, afterMillis);
        steps.forEach(s -> publish(s, "escalated"));
        return steps;
    }

    private void publish(AlarmLifecycle.Step step, String change) {
        String what = step.entry() == null || step.entry().what() == null ? change : step.entry().what();
        events.publish(new LiveEvent.AlarmChanged(step.alarm(), what.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public Optional<AlarmRecord> alarm(String alarmId) {
        return store.alarm(alarmId);
    }

    @Override
    public Optional<AlarmRecord> open(String school, String room, String device, String rule) {
        return store.open(school, room, device, rule);
    }

    @Override
    public List<AlarmHistoryEntry> history(String alarmId) {
        return store.history(alarmId);
    }

    @Override
    public List<AlarmRecord> alarms(AlarmQuery query) {
        return store.alarms(query);
    }
}

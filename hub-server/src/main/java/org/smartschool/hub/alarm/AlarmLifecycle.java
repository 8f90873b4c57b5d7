package org.smartschool.hub.alarm;

import java.util.Optional;

import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;

/**
 * The hub's rules for an alarm's life, as plain functions of the alarm and what happened.
 *
 * <p>Gateways replay transitions after outages and the hub stores batches concurrently, so
 * transitions of one alarm can arrive twice or out of order. The alarm is therefore a function of
 * the set of its transitions, not of their order: severity, detail and value are those of the
 * latest raise or change by its own timestamp, and the alarm is cleared once any clear has arrived. Applying a
 * transition twice changes nothing.
 */
public final class AlarmLifecycle {

    /** What a step did: the alarm after it, and the history line it adds. */
    public record Step(AlarmRecord alarm, AlarmHistoryEntry entry) {
    }

    private AlarmLifecycle() {
    }

    /** Applies a transition from a gateway (or a hub-side rule) to the alarm it names, or starts it. */
    public static Step apply(AlarmRecord current, AlarmTransition t) {
        AlarmHistoryEntry entry = new AlarmHistoryEntry(t.transitionId(), t.alarmId(), t.at(), t.kind().id(),
                t.severity(), "", "", t.detail());
        if (current == null) {
            boolean clear = t.kind() == Kind.CLEARED;
            // a clear that arrives first carries the last severity, but any raise or change that
            // follows (all older than the clear) is the better word on severity and detail
            AlarmRecord started = new AlarmRecord(t.alarmId(), t.school(), t.room(), t.device(), t.rule(), t.severity(),
                    t.raisedAt(), clear ? t.raisedAt() - 1 : t.at(), clear ? t.at() : null, null, null, t.detail(), t.value());
            return new Step(started, entry);
        }
        if (!current.id().equals(t.alarmId())) {
            throw new IllegalArgumentException("transition of alarm " + t.alarmId() + " applied to alarm " + current.id());
        }
        AlarmRecord after = current;
        if (t.kind() == Kind.CLEARED) {
            if (current.clearedAt() == null || t.at() < current.clearedAt()) {
                after = after.withClearedAt(t.at());
            }
        } else if (t.at() > current.severityAt()) {
            after = after.withSeverity(t.severity(), t.at(), t.detail(), t.value());
        }
        return new Step(after, entry);
    }

    /**
     * Somebody takes the alarm on. Acknowledging a cleared alarm is allowed (the condition may have
     * ended before anyone looked); acknowledging twice is not, so the first person's note stays.
     */
    public static Step acknowledge(AlarmRecord current, Acknowledgement ack) throws AlarmConflictException {
        if (current.acknowledgement() != null) {
            throw new AlarmConflictException("alarm " + current.id() + " was already acknowledged by "
                    + current.acknowledgement().by());
        }
        return new Step(current.withAcknowledgement(ack), new AlarmHistoryEntry("acknowledged:" + current.id(),
                current.id(), ack.at(), "acknowledged", current.severity(), ack.by(), ack.note(), ""));
    }

    /**
     * Escalates an alarm nobody has acknowledged within {@code afterMillis} of its raise, once;
     * empty when it is not due (acknowledged, cleared, already escalated, or not yet time).
     */
    public static Optional<Step> escalate(AlarmRecord current, long now, long afterMillis) {
        if (current.status() != AlarmStatus.ACTIVE || current.escalatedAt() != null
                || now - current.raisedAt() < afterMillis) {
            return Optional.empty();
        }
        long at = current.raisedAt() + afterMillis;
        return Optional.of(new Step(current.withEscalatedAt(at), new AlarmHistoryEntry("escalated:" + current.id(),
                current.id(), at, "escalated", current.severity(), "", "",
                "not acknowledged within " + afterMillis / 60_000 + " min")));
    }
}

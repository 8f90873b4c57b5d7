package org.smartschool.hub.alarm;

import org.smartschool.bridge.alarm.Severity;

/**
 * An alarm as the hub tracks it.
 *
 * @param severityAt when the current severity was set (the latest raise or change seen; just before
 *                   the raise while only a clear has arrived)
 * @param clearedAt when the condition ended, or null while it holds
 * @param acknowledgement who took it on, or null
 * @param escalatedAt when it was escalated for lack of an acknowledgement, or null
 */
public record AlarmRecord(String id, String school, String room, String device, String rule, Severity severity,
                          long raisedAt, long severityAt, Long clearedAt, Acknowledgement acknowledgement,
                          Long escalatedAt, String detail, double value) {

    public AlarmStatus status() {
        return clearedAt != null ? AlarmStatus.CLEARED
                : acknowledgement != null ? AlarmStatus.ACKNOWLEDGED : AlarmStatus.ACTIVE;
    }

    AlarmRecord withSeverity(Severity s, long at, String newDetail, double newValue) {
        return new AlarmRecord(id, school, room, device, rule, s, raisedAt, at, clearedAt, acknowledgement, escalatedAt,
                newDetail, newValue);
    }

    AlarmRecord withClearedAt(long at) {
        return new AlarmRecord(id, school, room, device, rule, severity, raisedAt, severityAt, at, acknowledgement,
                escalatedAt, detail, value);
    }

    AlarmRecord withAcknowledgement(Acknowledgement ack) {
        return new AlarmRecord(id, school, room, device, rule, severity, raisedAt, severityAt, clearedAt, ack,
                escalatedAt, detail, value);
    }

    AlarmRecord withEscalatedAt(long at) {
        return new AlarmRecord(id, school, room, device, rule, severity, raisedAt, severityAt, clearedAt, acknowledgement,
                at, detail, value);
    }
}

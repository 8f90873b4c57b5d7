package org.smartschool.bridge.alarm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;

/**
 * An alarm transition travels from gateway to hub as a device event of type {@code alarm} (wire
 * number 9): through the outbox, which never drops events, and the batch frame, unchanged.
 *
 * <p>The event id is derived from the transition ({@code alarmId:kind:at} in base 36), so a
 * replayed transition is the same event, and the hub's event store keeps it once too.
 */
public final class AlarmTransitions {
    public static final String ALARM_ID = "alarm_id";
    public static final String RULE = "rule";
    public static final String TRANSITION = "transition";
    public static final String SEVERITY = "severity";
    public static final String RAISED_AT = "raised_at";
    public static final String VALUE = "value";
    public static final String DETAIL = "detail";

    private AlarmTransitions() {
    }

    public static DeviceEvent asEvent(AlarmTransition t) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(ALARM_ID, t.alarmId());
        attributes.put(RULE, t.rule());
        attributes.put(TRANSITION, t.kind().id());
        attributes.put(SEVERITY, t.severity().id());
        attributes.put(RAISED_AT, Long.toString(t.raisedAt()));
        attributes.put(DETAIL, t.detail());
        if (!Double.isNaN(t.value())) {
            attributes.put(VALUE, Double.toString(t.value()));
        }
        String id = t.alarmId() + ":" + t.kind().id().charAt(0) + ":" + Long.toString(t.at(), 36);
        return new DeviceEvent(id, t.school(), t.room(), t.device(), EventType.ALARM, t.at(), attributes);
    }

    /**
     * Reads a transition back.
     *
     * @throws IllegalArgumentException naming the attribute that is missing or wrong
     */
    public static AlarmTransition fromEvent(DeviceEvent e) {
        if (e.type() != EventType.ALARM) {
            throw new IllegalArgumentException("event " + e.id() + " is a " + e.type().id() + ", not an alarm");
        }
        Map<String, String> a = e.attributes();
        String transition = required(a, TRANSITION);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.id().equals(transition)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("alarm event " + e.id() + ": unknown transition '" + transition + "'");
        }
        String severityId = required(a, SEVERITY);
        Severity severity = Severity.byId(severityId).orElseThrow(() -> new IllegalArgumentException(
                "alarm event " + e.id() + ": unknown severity '" + severityId + "'"));
        long raisedAt;
        double value;
        try {
            raisedAt = Long.parseLong(required(a, RAISED_AT));
            value = a.containsKey(VALUE) ? Double.parseDouble(a.get(VALUE)) : Double.NaN;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("alarm event " + e.id() + ": raised_at and value must be numbers", ex);
        }
        return new AlarmTransition(required(a, ALARM_ID).toLowerCase(Locale.ROOT), e.school(), e.room(), e.device(),
                required(a, RULE), kind, severity, raisedAt, e.timestamp(), value, a.getOrDefault(DETAIL, ""));
    }

    private static String required(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("alarm event without '" + name + "'");
        }
        return value;
    }
}

package org.smartschool.bridge.attendance;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;

/**
 * An attendance decision travels from gateway to hub as a device event of type {@code attendance}
 * (wire number 10), through the outbox and the batch frame unchanged (docs/protocol.md 4.6).
 * The learner's id is the attribute {@code learner_id}, personal data: it reaches the hub and the
 * school management system only.
 */
public final class AttendanceMarks {
    public static final String LEARNER_ID = "learner_id";
    public static final String CLASS = "class";
    public static final String DATE = "date";
    public static final String SESSION = "session";
    public static final String PERIOD = "period";
    public static final String CATEGORY = "category";
    public static final String CAUSE = "cause";

    private AttendanceMarks() {
    }

    public static DeviceEvent asEvent(AttendanceMark m) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(LEARNER_ID, m.learnerId());
        attributes.put(CLASS, m.classId());
        attributes.put(DATE, m.date().toString());
        attributes.put(SESSION, m.session());
        if (m.period() != null) {
            attributes.put(PERIOD, m.period());
        }
        attributes.put(CATEGORY, m.category().id());
        attributes.put(CAUSE, m.cause().id());
        return new DeviceEvent(m.eventId(), m.school(), m.room(), m.device(), EventType.ATTENDANCE, m.at(), attributes);
    }

    /**
     * Reads a decision back.
     *
     * @throws IllegalArgumentException naming the attribute that is missing or wrong (never its value
     *                                  where it is personal data)
     */
    public static AttendanceMark fromEvent(DeviceEvent e) {
        if (e.type() != EventType.ATTENDANCE) {
            throw new IllegalArgumentException("event " + e.id() + " is a " + e.type().id() + ", not an attendance decision");
        }
        Map<String, String> a = e.attributes();
        String categoryId = required(e, CATEGORY);
        AttendanceCategory category = AttendanceCategory.byId(categoryId).orElseThrow(() -> new IllegalArgumentException(
                "attendance event " + e.id() + ": unknown category '" + categoryId + "'"));
        String causeId = required(e, CAUSE);
        AttendanceMark.Cause cause = AttendanceMark.Cause.byId(causeId).orElseThrow(() -> new IllegalArgumentException(
                "attendance event " + e.id() + ": unknown cause '" + causeId + "'"));
        LocalDate date;
        try {
            date = LocalDate.parse(required(e, DATE));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("attendance event " + e.id() + ": date is not YYYY-MM-DD", ex);
        }
        return new AttendanceMark(e.id(), e.school(), e.room(), e.device(), required(e, LEARNER_ID), required(e, CLASS),
                date, required(e, SESSION), a.get(PERIOD), category, cause, e.timestamp());
    }

    private static String required(DeviceEvent e, String name) {
        String value = e.attributes().get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("attendance event " + e.id() + " without '" + name + "'");
        }
        return value;
    }
}

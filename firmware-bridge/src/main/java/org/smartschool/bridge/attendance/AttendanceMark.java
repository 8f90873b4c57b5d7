package org.smartschool.bridge.attendance;

import java.time.LocalDate;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.Ids;

/**
 * One attendance decision a gateway made about one learner (a tap at the door, an absence at the
 * cut-off, a teacher's correction relayed by the gateway), as it travels to the hub in an
 * {@code attendance} event (wire number 10; {@link AttendanceMarks}).
 *
 * @param eventId   the idempotency key: the same decision always carries the same id (the outbox
 *                  keeps it, replays repeat it); a different decision about the same slot (absent,
 *                  then late) has a different id. 1-64 of letters, digits, '_' and '-'; derived with a
 *                  key of the school's so that it does not spell out or allow guessing the learner's id
 * @param school    the school
 * @param room      the room of the door (a tap) or the class's room (an absence at the cut-off)
 * @param device    the reader that was tapped, or the gateway's own id for decisions made by its clock
 * @param learnerId the 12-digit national personal ID: personal data, never logged
 * @param classId   the class (homeroom) or section the learner attends
 * @param date      the school day in the school's time zone
 * @param session   the session of the day ({@code morning}, {@code afternoon})
 * @param period    null for session-level attendance; the period's id ({@code p3}) for period level
 * @param category  present, late, excused or unexcused absence
 * @param cause     how it was decided
 * @param at        when it was decided, UTC epoch milliseconds
 */
public record AttendanceMark(String eventId, String school, String room, String device, String learnerId,
                             String classId, LocalDate date, String session, String period,
                             AttendanceCategory category, Cause cause, long at) {
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LEARNER_ID = Pattern.compile("[0-9]{12}");

    /** How a decision came about. */
    public enum Cause {
        /** a card or face at the door */
        TAP("tap"),
        /** nobody tapped by the session's start plus the cut-off */
        CUTOFF("cutoff"),
        /** an excuse the school management system sent */
        EXCUSE("excuse"),
        /** a teacher changed it */
        CORRECTION("correction");

        private final String id;

        Cause(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static java.util.Optional<Cause> byId(String id) {
            for (Cause c : values()) {
                if (c.id.equals(id)) {
                    return java.util.Optional.of(c);
                }
            }
            return java.util.Optional.empty();
        }
    }

    public AttendanceMark {
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("attendance eventId: 1-64 of letters, digits, '_' and '-'");
        }
        Ids.require("school", school);
        Ids.require("room", room);
        Ids.require("device", device);
        if (learnerId == null || !LEARNER_ID.matcher(learnerId).matches()) {
            // the value itself is personal data: never in the message
            throw new IllegalArgumentException("attendance " + eventId + ": learner_id is not a 12-digit national personal ID");
        }
        Ids.require("class", classId);
        if (date == null) {
            throw new IllegalArgumentException("attendance " + eventId + ": no school day");
        }
        Ids.require("session", session);
        if (period != null) {
            Ids.require("period", period);
        }
        if (category == null || cause == null) {
            throw new IllegalArgumentException("attendance " + eventId + ": no category or cause");
        }
        if (at <= 0) {
            throw new IllegalArgumentException("attendance " + eventId + ": no time");
        }
    }
}

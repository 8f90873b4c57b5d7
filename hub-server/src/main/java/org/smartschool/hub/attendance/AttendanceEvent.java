package org.smartschool.hub.attendance;

import org.smartschool.bridge.attendance.AttendanceCategory;
import java.time.LocalDate;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.Ids;

/**
 * One attendance decision about one learner, as the hub forwards it to the school management system
 * (webhooks and the Ed-Fi connector). Issue 9's gateway decisions, absences and teachers' corrections
 * all arrive as these. A later decision about the same learner, date, class and session (a late tap
 * after an absence, an excuse) is a new event with a new id; it replaces the earlier one downstream.
 *
 * @param eventId   the event's idempotency key: the same event always carries the same id, so a replay
 *                  is recognised and sent nowhere twice; a different decision has a different id (e.g. a
 *                  keyed hash of learner, date, class, session, period and a revision). 1-64 of letters,
 *                  digits, '_' and '-' (no '.': it is also the webhook id). It appears in logs, so it must
 *                  not spell out the learner's id
 * @param school    the school's id
 * @param learnerId the learner's 12-digit national personal ID: personal data, never logged
 * @param classId   the class (homeroom, e.g. {@code 6A}) or the section (a lab group) the learner attends
 * @param date      the school day, in the school's time zone
 * @param session   which part of the day: a session of the class ({@code morning}, {@code afternoon}) or,
 *                  with {@code period}, the session the period belongs to
 * @param period    null for session-level attendance (the class keeps its room for the session); the
 *                  period's id ({@code p3}) for period-level attendance (labs, computer rooms)
 * @param category  present, late, excused or unexcused absence
 * @param at        when it was decided (the tap, the cut-off, the correction), UTC epoch milliseconds
 */
public record AttendanceEvent(String eventId, String school, String learnerId, String classId, LocalDate date,
                              String session, String period, AttendanceCategory category, long at) {
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern LEARNER_ID = Pattern.compile("[0-9]{12}");

    public AttendanceEvent {
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("eventId: 1-64 of letters, digits, '_' and '-'");
        }
        Ids.require("school", school);
        if (learnerId == null || !LEARNER_ID.matcher(learnerId).matches()) {
            // the value itself is personal data: never in the message
            throw new IllegalArgumentException("learnerId: the 12-digit national personal ID");
        }
        Ids.require("class", classId);
        if (date == null) {
            throw new IllegalArgumentException("date: the school day is missing");
        }
        Ids.require("session", session);
        if (period != null) {
            Ids.require("period", period);
        }
        if (category == null) {
            throw new IllegalArgumentException("category: one of present, late, excused_absence, unexcused_absence");
        }
        if (at <= 0) {
            throw new IllegalArgumentException("at: epoch milliseconds of the decision");
        }
    }

    /** Whether it is about one period (a section's lesson) rather than a whole session of the class. */
    public boolean periodLevel() {
        return period != null;
    }

    /**
     * What a later decision replaces: the same learner, school, day, class and session or period. Holds
     * the learner's id: keep it out of logs.
     */
    public String slot() {
        return school + "|" + learnerId + "|" + date + "|" + classId + "|" + session + "|" + (period == null ? "" : period);
    }
}

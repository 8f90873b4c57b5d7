package org.smartschool.hub.attendance;

import java.time.LocalDate;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.model.Ids;

/**
 * How many learners of one class have each category for one session (or one period) of one school day:
 * what the time-series store and the district's rates see of attendance, without any learner
 * (docs/storage.md, measurement {@code attendance}).
 *
 * @param period null for session-level attendance
 */
public record AttendanceCounts(String school, LocalDate date, String classId, String session, String period,
                               int present, int late, int excusedAbsence, int unexcusedAbsence) {

    public AttendanceCounts {
        Ids.require("school", school);
        if (date == null) {
            throw new IllegalArgumentException("date: the school day is missing");
        }
        Ids.require("class", classId);
        Ids.require("session", session);
        if (period != null) {
            Ids.require("period", period);
        }
        if (present < 0 || late < 0 || excusedAbsence < 0 || unexcusedAbsence < 0) {
            throw new IllegalArgumentException("attendance counts cannot be negative");
        }
    }

    /** No learner counted yet in the group of {@code event}. */
    public static AttendanceCounts none(AttendanceEvent event) {
        return new AttendanceCounts(event.school(), event.date(), event.classId(), event.session(), event.period(), 0, 0, 0, 0);
    }

    public int count(AttendanceCategory category) {
        return switch (category) {
            case PRESENT -> present;
            case LATE -> late;
            case EXCUSED_ABSENCE -> excusedAbsence;
            case UNEXCUSED_ABSENCE -> unexcusedAbsence;
        };
    }

    /** The same group with {@code category} counted {@code n}. */
    public AttendanceCounts with(AttendanceCategory category, int n) {
        return new AttendanceCounts(school, date, classId, session, period,
                category == AttendanceCategory.PRESENT ? n : present,
                category == AttendanceCategory.LATE ? n : late,
                category == AttendanceCategory.EXCUSED_ABSENCE ? n : excusedAbsence,
                category == AttendanceCategory.UNEXCUSED_ABSENCE ? n : unexcusedAbsence);
    }

    public int total() {
        return present + late + excusedAbsence + unexcusedAbsence;
    }

    /** The group these counts are of: school, date, class, session, period. */
    public String group() {
        return school + "|" + date + "|" + classId + "|" + session + "|" + (period == null ? "" : period);
    }
}

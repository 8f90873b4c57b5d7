package org.smartschool.gateway.attendance;

import java.time.LocalDate;

/**
 * One session of a class, or one period of a section, on one school day: what a tap is matched with
 * and what a learner is absent from. Times are UTC epoch milliseconds, computed in the school's zone.
 *
 * @param period null for a session-level class
 * @param earliest the first instant a tap counts for it ({@code start - earlyMinutes})
 * @param graceUntil a tap up to this instant is {@code present}, later {@code late}
 * @param cutoffAt learners without a decision by then are absent
 */
public record Slot(LocalDate date, String classId, String session, String period, String room, long start, long end,
                   long earliest, long graceUntil, long cutoffAt) {

    /** What identifies it in the gateway's state and in event ids: date, class, session, period. */
    public String key() {
        return date + "|" + classId + "|" + session + "|" + (period == null ? "" : period);
    }
}

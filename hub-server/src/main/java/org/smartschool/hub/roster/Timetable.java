package org.smartschool.hub.roster;

import java.util.List;
import java.util.Objects;

/** A school's sessions, classes, periods and term. */
public record Timetable(List<Session> sessions, List<SchoolClass> classes, List<Period> periods, Term term) {
    public Timetable {
        sessions = List.copyOf(sessions);
        classes = List.copyOf(classes);
        periods = List.copyOf(periods);
        Objects.requireNonNull(term, "term");
    }
}

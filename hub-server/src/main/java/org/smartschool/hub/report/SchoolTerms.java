package org.smartschool.hub.report;

import java.util.Optional;

import org.smartschool.hub.roster.Term;

/**
 * Each school's academic term from its roster (the timetable's {@code term}: from, to, days and {@code noSchool}
 * dates), so that holidays and days outside the term are not lesson time in a report. Blocking (state database).
 */
@FunctionalInterface
public interface SchoolTerms {
    /** No roster anywhere: every weekday of the lesson hours is a school day. */
    SchoolTerms NONE = school -> Optional.empty();

    /** The school's term; empty when it has no roster. */
    Optional<Term> termOf(String school);
}

package org.smartschool.hub.roster;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The academic term the roster is for: its dates, the days of the week with school, and the dates without
 * school inside it (holidays).
 *
 * @param schoolYear e.g. {@code 2026-2027}
 */
public record Term(String name, String schoolYear, LocalDate from, LocalDate to, Set<DayOfWeek> days,
                   Set<LocalDate> noSchool) {
    public static final Set<DayOfWeek> DEFAULT_DAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    public Term {
        name = name == null || name.isBlank() ? "term" : name.strip();
        schoolYear = schoolYear == null ? "" : schoolYear.strip();
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("term " + name + ": to is before from");
        }
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("term " + name + ": at least one day of the week");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
        noSchool = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(noSchool == null ? Set.of() : noSchool));
    }

    /** Whether the school is open on this date: inside the term, on one of its days, not a day without school. */
    public boolean isSchoolDay(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(to) && days.contains(date.getDayOfWeek()) && !noSchool.contains(date);
    }
}

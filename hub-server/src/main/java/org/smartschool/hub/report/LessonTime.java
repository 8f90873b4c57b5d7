package org.smartschool.hub.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.smartschool.gateway.rules.LessonHours;

/**
 * How much of a span of time falls within a school's lesson hours (the same {@link LessonHours} the gateway's
 * rules use: the timetable's sessions on the term's weekdays, in the school's time zone), on the school's days only
 * when its term is known ({@link SchoolTerms}: no holiday, no day outside the term). Windows that overlap are counted
 * once.
 */
public final class LessonTime {
    private final LessonHours hours;
    private final List<LessonHours.Window> windows;
    private final Predicate<LocalDate> schoolDay;

    /** Every weekday of the lesson hours is a school day (no term known). */
    public LessonTime(LessonHours hours) {
        this(hours, day -> true);
    }

    /**
     * @param schoolDay whether the school is open on a local date (the term's {@code isSchoolDay}); a date it refuses
     *                  has no lesson time even on a weekday of the lesson hours
     */
    public LessonTime(LessonHours hours, Predicate<LocalDate> schoolDay) {
        this.hours = hours;
        this.windows = merged(hours.windows());
        this.schoolDay = Objects.requireNonNull(schoolDay, "schoolDay");
    }

    public LessonHours hours() {
        return hours;
    }

    /** The milliseconds of {@code [fromMillis, toMillis)} that are lesson time. */
    public long overlapMillis(long fromMillis, long toMillis) {
        if (toMillis <= fromMillis || windows.isEmpty()) {
            return 0;
        }
        LocalDate first = Instant.ofEpochMilli(fromMillis).atZone(hours.zone()).toLocalDate();
        LocalDate last = Instant.ofEpochMilli(toMillis - 1).atZone(hours.zone()).toLocalDate();
        long total = 0;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            if (!hours.days().contains(day.getDayOfWeek()) || !schoolDay.test(day)) {
                continue;
            }
            for (LessonHours.Window w : windows) {
                long start = day.atTime(w.start()).atZone(hours.zone()).toInstant().toEpochMilli();
                long end = day.atTime(w.end()).atZone(hours.zone()).toInstant().toEpochMilli();
                total += Math.max(0, Math.min(end, toMillis) - Math.max(start, fromMillis));
            }
        }
        return total;
    }

    private static List<LessonHours.Window> merged(List<LessonHours.Window> windows) {
        List<LessonHours.Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparing(LessonHours.Window::start));
        List<LessonHours.Window> out = new ArrayList<>();
        for (LessonHours.Window w : sorted) {
            LessonHours.Window last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && !w.start().isAfter(last.end())) {
                out.set(out.size() - 1, new LessonHours.Window(last.start(), w.end().isAfter(last.end()) ? w.end() : last.end()));
            } else {
                out.add(w);
            }
        }
        return List.copyOf(out);
    }
}

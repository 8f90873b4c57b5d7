package org.smartschool.bridge.sim;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The day of a Vietnamese school, in the school's time zone (Asia/Ho_Chi_Minh, UTC+7, no DST).
 *
 * <p>Two sessions, Monday to Friday, 45-minute periods (the Ministry of Education's period for
 * lower and upper secondary schools):
 * <pre>
 * morning    07:00-07:45  5'  07:50-08:35  20' (flag/play break)  08:55-09:40  10'  09:50-10:35  5'  10:40-11:25
 * afternoon  13:30-14:15  5'  14:20-15:05  20'                    15:25-16:10   5'  16:15-17:00
 * </pre>
 * Learners arrive in the 20 minutes before a session and leave in the 15 minutes after it.
 * Nights, weekends and the midday pause are empty. Holidays are not modelled.
 */
public final class SchoolTimetable {
    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    public enum Session { MORNING, AFTERNOON }

    /** What a classroom is doing. */
    public enum Phase {
        /** Night, weekend, or a session's arrival time not yet reached. */
        CLOSED,
        ARRIVAL,
        LESSON,
        /** 5-10 minutes between periods: most learners stay in the room. */
        SHORT_BREAK,
        /** 15 minutes or more: learners go out, windows and doors are open. */
        LONG_BREAK,
        DISMISSAL,
        /** Between the morning and afternoon sessions. */
        MIDDAY
    }

    /**
     * Where in the school day an instant falls.
     *
     * @param period 1-based period number in the session for LESSON and the period just finished
     *               for breaks; 0 otherwise
     * @param fraction how far through the phase, 0..1 (used for arrival and dismissal ramps)
     */
    public record Slot(LocalDate day, Session session, Phase phase, int period, double fraction) {
    }

    private record Period(LocalTime start, LocalTime end) {
    }

    private static final List<Period> MORNING = List.of(
            period("07:00", "07:45"), period("07:50", "08:35"), period("08:55", "09:40"),
            period("09:50", "10:35"), period("10:40", "11:25"));
    private static final List<Period> AFTERNOON = List.of(
            period("13:30", "14:15"), period("14:20", "15:05"), period("15:25", "16:10"), period("16:15", "17:00"));

    static final int ARRIVAL_MINUTES = 20;
    static final int DISMISSAL_MINUTES = 15;
    static final int LONG_BREAK_MINUTES = 15;

    private SchoolTimetable() {
    }

    private static Period period(String start, String end) {
        return new Period(LocalTime.parse(start), LocalTime.parse(end));
    }

    public static Slot at(long epochMillis) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMillis).atZone(ZONE);
        LocalDate day = local.toLocalDate();
        if (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return new Slot(day, null, Phase.CLOSED, 0, 0);
        }
        int second = local.toLocalTime().toSecondOfDay();
        Slot morning = inSession(day, Session.MORNING, MORNING, second);
        if (morning != null) {
            return morning;
        }
        Slot afternoon = inSession(day, Session.AFTERNOON, AFTERNOON, second);
        if (afternoon != null) {
            return afternoon;
        }
        int morningEnd = MORNING.get(MORNING.size() - 1).end().toSecondOfDay() + DISMISSAL_MINUTES * 60;
        int afternoonArrival = AFTERNOON.get(0).start().toSecondOfDay() - ARRIVAL_MINUTES * 60;
        if (second >= morningEnd && second < afternoonArrival) {
            return new Slot(day, null, Phase.MIDDAY, 0, 0);
        }
        return new Slot(day, null, Phase.CLOSED, 0, 0);
    }

    private static Slot inSession(LocalDate day, Session session, List<Period> periods, int second) {
        int first = periods.get(0).start().toSecondOfDay();
        int last = periods.get(periods.size() - 1).end().toSecondOfDay();
        if (second >= first - ARRIVAL_MINUTES * 60 && second < first) {
            return new Slot(day, session, Phase.ARRIVAL, 0, (second - (first - ARRIVAL_MINUTES * 60)) / (ARRIVAL_MINUTES * 60.0));
        }
        if (second >= last && second < last + DISMISSAL_MINUTES * 60) {
            return new Slot(day, session, Phase.DISMISSAL, periods.size(), (second - last) / (DISMISSAL_MINUTES * 60.0));
        }
        for (int i = 0; i < periods.size(); i++) {
            Period p = periods.get(i);
            int start = p.start().toSecondOfDay();
            int end = p.end().toSecondOfDay();
            if (second >= start && second < end) {
                return new Slot(day, session, Phase.LESSON, i + 1, (second - start) / (double) (end - start));
            }
            if (i + 1 < periods.size()) {
                int next = periods.get(i + 1).start().toSecondOfDay();
                if (second >= end && second < next) {
                    Phase phase = next - end >= LONG_BREAK_MINUTES * 60 ? Phase.LONG_BREAK : Phase.SHORT_BREAK;
                    return new Slot(day, session, phase, i + 1, (second - end) / (double) (next - end));
                }
            }
        }
        return null;
    }

    /** One period of a school day: when it starts and ends, UTC epoch milliseconds. */
    record Lesson(LocalDate day, Session session, int period, long start, long end) {
        boolean contains(long epochMillis) {
            return epochMillis >= start && epochMillis < end;
        }
    }

    /** The periods of {@code day} in time order; none at weekends. */
    static List<Lesson> lessons(LocalDate day) {
        if (!isSchoolDay(day)) {
            return List.of();
        }
        List<Lesson> out = new ArrayList<>(MORNING.size() + AFTERNOON.size());
        addLessons(out, day, Session.MORNING, MORNING);
        addLessons(out, day, Session.AFTERNOON, AFTERNOON);
        return out;
    }

    private static void addLessons(List<Lesson> out, LocalDate day, Session session, List<Period> periods) {
        for (int i = 0; i < periods.size(); i++) {
            Period p = periods.get(i);
            out.add(new Lesson(day, session, i + 1, epochMillis(day, p.start()), epochMillis(day, p.end())));
        }
    }

    /** When the first period of a session starts (the bell), UTC epoch milliseconds. */
    static long sessionStart(LocalDate day, Session session) {
        return epochMillis(day, (session == Session.MORNING ? MORNING : AFTERNOON).get(0).start());
    }

    /** The school's local date at an instant. */
    static LocalDate day(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(ZONE).toLocalDate();
    }

    /** Local midnight starting {@code day}, UTC epoch milliseconds. */
    static long startOfDay(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant().toEpochMilli();
    }

    private static long epochMillis(LocalDate day, LocalTime time) {
        return day.atTime(time).atZone(ZONE).toInstant().toEpochMilli();
    }

    /** Whether a session takes place on that day at all (weekdays only). */
    public static boolean isSchoolDay(LocalDate day) {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
    }
}

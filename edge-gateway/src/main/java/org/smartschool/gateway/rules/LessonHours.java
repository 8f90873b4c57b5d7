package org.smartschool.gateway.rules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When lessons are held, in the school's time zone: rules such as "light below 300 lx" only mean
 * something then. Holidays are not modelled yet; the timetable of the attendance issue will
 * replace the default windows with the school's own.
 */
public record LessonHours(ZoneId zone, Set<DayOfWeek> days, List<Window> windows) {

    /** From {@code start} (included) to {@code end} (excluded), local time. */
    public record Window(LocalTime start, LocalTime end) {
        public Window {
            if (start == null || end == null || !start.isBefore(end)) {
                throw new IllegalArgumentException("lesson window " + start + "-" + end + " must start before it ends");
            }
        }

        /** Parses {@code HH:mm-HH:mm}. */
        public static Window parse(String text) {
            String[] parts = text == null ? new String[0] : text.split("-");
            if (parts.length != 2) {
                throw new IllegalArgumentException("lesson window '" + text + "' must look like 07:00-11:25");
            }
            try {
                return new Window(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("lesson window '" + text + "' must look like 07:00-11:25", e);
            }
        }
    }

    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    public LessonHours {
        if (zone == null) {
            throw new IllegalArgumentException("lesson hours need a time zone");
        }
        days = days == null || days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        windows = List.copyOf(windows == null ? List.of() : windows);
    }

    /**
     * A Vietnamese school's two sessions, Monday to Friday (the periods of the simulator's
     * timetable): morning 07:00-11:25, afternoon 13:30-17:00.
     */
    public static LessonHours vietnameseDefault() {
        return new LessonHours(VIETNAM, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                List.of(Window.parse("07:00-11:25"), Window.parse("13:30-17:00")));
    }

    public boolean contains(long epochMillis) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMillis).atZone(zone);
        if (!days.contains(local.getDayOfWeek())) {
            return false;
        }
        LocalTime time = local.toLocalTime();
        for (Window w : windows) {
            if (!time.isBefore(w.start()) && time.isBefore(w.end())) {
                return true;
            }
        }
        return false;
    }
}

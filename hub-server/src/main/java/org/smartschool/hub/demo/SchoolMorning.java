package org.smartschool.hub.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import org.smartschool.bridge.sim.SchoolTimetable;

/**
 * The school morning the demo simulates for attendance, whatever the hour it is started: the door readers
 * tap and the gateways judge on a {@link SchoolClock} that starts at {@link #FROM} school time of
 * {@link #day} and runs {@link #speed} times faster than real time, through the morning session's start
 * ({@link #BELL}), its grace and its absence cut-off, and stops at {@link #STOP}: no afternoon and no next
 * day are simulated, so the morning's decisions stay as they are for as long as the demo runs.
 *
 * @param day           the school day simulated: today in the school's time zone, or the Friday before on a
 *                      weekend (the demo's term has school Monday to Friday)
 * @param speed         simulated seconds per real second, 1-{@value #MAX_SPEED}
 * @param graceMinutes  a tap this long after the bell is still present (the hub's {@code roster.graceMinutes})
 * @param cutoffMinutes at the bell + this, learners without a tap are absent ({@code roster.cutoffMinutes})
 */
public record SchoolMorning(LocalDate day, int speed, int graceMinutes, int cutoffMinutes) {
    public static final ZoneId ZONE = SchoolTimetable.ZONE;
    /** Learners start arriving a little later; the gateways have their plans by then. */
    public static final LocalTime FROM = LocalTime.of(6, 45);
    /** The morning session of the demo's timetable (the roster's default sessions, the simulation's). */
    public static final LocalTime BELL = LocalTime.of(7, 0);
    /** At 30x the bell rings 30 s after the start, the cut-off passes at 70 s, the clock stops at 90 s. */
    public static final int DEFAULT_SPEED = 30;
    public static final int MAX_SPEED = 240;
    /** Ten simulated minutes after the default cut-off: every gateway has judged it by then. */
    static final int STOP_AFTER_CUTOFF_MINUTES = 10;

    public SchoolMorning {
        java.util.Objects.requireNonNull(day, "day");
        if (speed < 1 || speed > MAX_SPEED) {
            throw new IllegalArgumentException("--morning-speed: must be 1-" + MAX_SPEED + " (or off), got " + speed);
        }
        if (cutoffMinutes < graceMinutes) {
            throw new IllegalArgumentException("the cut-off (" + cutoffMinutes + " min) is before the grace ends ("
                    + graceMinutes + " min)");
        }
    }

    /** The school day a morning started on {@code today} (the school's date) simulates: weekends go back to Friday. */
    public static LocalDate schoolDay(LocalDate today) {
        DayOfWeek d = today.getDayOfWeek();
        return d == DayOfWeek.SATURDAY ? today.minusDays(1) : d == DayOfWeek.SUNDAY ? today.minusDays(2) : today;
    }

    public long fromMillis() {
        return millis(FROM);
    }

    public long bellMillis() {
        return millis(BELL);
    }

    /** After this a tap is late. */
    public long graceEndMillis() {
        return bellMillis() + graceMinutes * 60_000L;
    }

    /** The absence cut-off. */
    public long cutoffMillis() {
        return bellMillis() + cutoffMinutes * 60_000L;
    }

    /** Where the clock stops: ten minutes after the cut-off. */
    public long stopMillis() {
        return cutoffMillis() + STOP_AFTER_CUTOFF_MINUTES * 60_000L;
    }

    /** How long after the start, in real seconds, the school clock shows {@code epochMillis}. */
    public double realSecondsTo(long epochMillis) {
        return (epochMillis - fromMillis()) / 1000.0 / speed;
    }

    /** What the demo's start output says of the morning. */
    public String describe() {
        return String.format("simulated school morning of %s %s from %s school time at %dx: session starts %s (in %.0f s),"
                        + " late after %s (%.0f s), absent at the %s cut-off (%.0f s); the door simulation and the school"
                        + " clock stop at %s (%.0f s)",
                day.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH), day, FROM,
                speed, BELL, realSecondsTo(bellMillis()), hhmm(graceEndMillis()), realSecondsTo(graceEndMillis()),
                hhmm(cutoffMillis()), realSecondsTo(cutoffMillis()), hhmm(stopMillis()), realSecondsTo(stopMillis()));
    }

    private long millis(LocalTime time) {
        return day.atTime(time).atZone(ZONE).toInstant().toEpochMilli();
    }

    private static String hhmm(long epochMillis) {
        return java.time.Instant.ofEpochMilli(epochMillis).atZone(ZONE).toLocalTime().toString();
    }
}

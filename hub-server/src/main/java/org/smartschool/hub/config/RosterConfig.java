package org.smartschool.hub.config;

import java.time.DateTimeException;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Roster, timetable and card keys (README, "Roster and timetable"): what the hub puts in each gateway's
 * {@code attendance} section besides the school's roster.
 *
 * @param timeZone        the schools' time zone (IANA id) for the timetable's times and dates
 * @param cardKeyRotation how old a school's card key may get before the hub makes a new one and sends every
 *                        card hash again (ISO-8601 period, e.g. {@code P90D}); {@code P0D}: never by age
 *                        (still through the API)
 * @param graceMinutes    a tap this long after the start still counts as present
 * @param cutoffMinutes   at start + this, learners without a tap are absent
 * @param debounceSeconds a second tap of the same learner within this long is a duplicate
 * @param earlyMinutes    a tap this long before the start already counts
 */
public record RosterConfig(String timeZone, String cardKeyRotation, int graceMinutes, int cutoffMinutes, int debounceSeconds,
                           int earlyMinutes) {
    public static final RosterConfig DEFAULT = new RosterConfig("Asia/Ho_Chi_Minh", "P90D", 10, 20, 60, 30);

    public RosterConfig {
        timeZone = timeZone == null || timeZone.isBlank() ? "Asia/Ho_Chi_Minh" : timeZone.strip();
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("roster.timeZone: not a time zone id (e.g. Asia/Ho_Chi_Minh): " + timeZone);
        }
        cardKeyRotation = cardKeyRotation == null || cardKeyRotation.isBlank() ? "P90D" : cardKeyRotation.strip();
        Period p;
        try {
            p = Period.parse(cardKeyRotation);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("roster.cardKeyRotation: not an ISO-8601 period (e.g. P90D): " + cardKeyRotation);
        }
        if (p.isNegative()) {
            throw new IllegalArgumentException("roster.cardKeyRotation: must not be negative: " + cardKeyRotation);
        }
        require("roster.graceMinutes", graceMinutes, 0, 240);
        require("roster.cutoffMinutes", cutoffMinutes, 0, 240);
        require("roster.debounceSeconds", debounceSeconds, 0, 3600);
        require("roster.earlyMinutes", earlyMinutes, 0, 240);
        if (cutoffMinutes < graceMinutes) {
            throw new IllegalArgumentException("roster.cutoffMinutes (" + cutoffMinutes + ") must not be below roster.graceMinutes ("
                    + graceMinutes + ")");
        }
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /** The rotation period; zero: keys are rotated only through the API. */
    public Period rotation() {
        return Period.parse(cardKeyRotation);
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ": " + value);
        }
    }
}

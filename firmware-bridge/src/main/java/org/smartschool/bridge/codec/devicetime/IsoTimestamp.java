package org.smartschool.bridge.codec.devicetime;

import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Reads the common shape of an ISO 8601 date-time with a UTC offset, {@code 2025-03-10T09:14:00+07:00} or
 * {@code 2019-03-01T15:32:45.941Z} (JavaScript's toISOString), without a {@code DateTimeFormatter}: the formatter
 * allocates about 1.5 KB per parse, more than the rest of a small message's decoding, and these times come with
 * every message of Zigbee2MQTT ({@code last_seen}), camera analytics and Tasmota.
 *
 * <p>Only the one shape is read here: {@code uuuu-MM-ddTHH:mm:ss}, an optional fraction of 1-9 digits, then
 * {@code Z} or {@code +HH:MM}/{@code -HH:MM}. Anything else, including a shape that is right but a value that is
 * not (30 February, hour 24, offset beyond 18:00), returns {@link #NOT_FAST} so that the caller's formatter
 * decides, with its own leniency and its own error. For every text this accepts, the result equals
 * {@code OffsetDateTime.parse(text).toInstant().toEpochMilli()}.
 */
public final class IsoTimestamp {
    /** The text is not in the one shape read here; the caller's formatter decides. */
    public static final long NOT_FAST = Long.MIN_VALUE;

    private IsoTimestamp() {
    }

    /** UTC epoch milliseconds (the fraction beyond milliseconds cut off), or {@link #NOT_FAST}. */
    public static long fastEpochMillis(String t) {
        int length = t.length();
        if (length < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return NOT_FAST;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > Month.of(month).length(Year.isLeap(year)) || hour > 23 || minute > 59 || second > 59) {
            return NOT_FAST;
        }
        int at = 19;
        int millis = 0;
        if (t.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && t.charAt(at) >= '0' && t.charAt(at) <= '9') {
                if (at - start < 3) {
                    millis = millis * 10 + (t.charAt(at) - '0');
                }
                at++;
            }
            int digits = at - start;
            if (digits == 0) {
                return NOT_FAST;
            }
            for (int d = digits; d < 3; d++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && t.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (t.charAt(at) == '+' || t.charAt(at) == '-') && t.charAt(at + 3) == ':') {
            int offsetHours = digits(t, at + 1, 2);
            int offsetMinutes = digits(t, at + 4, 2);
            if ((offsetHours | offsetMinutes) < 0 || offsetHours > 18 || offsetMinutes > 59
                    || (offsetHours == 18 && offsetMinutes > 0)) {
                return NOT_FAST;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (t.charAt(at) == '-' ? -1 : 1);
        } else {
            return NOT_FAST;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = ((epochDay * 24 + hour) * 60 + minute) * 60 + second - offsetSeconds;
        return epochSecond * 1000 + millis;
    }

    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

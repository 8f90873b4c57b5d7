package org.smartschool.bridge.codec.cameraanalytics;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.devicetime.IsoTimestamp;

/**
 * The time of a camera analytics message, from its optional {@code time} field: ISO 8601 with a
 * UTC offset ({@code 2024-09-05T07:05:00+07:00}, {@code 2024-09-05T00:05:00Z}), as Hikvision's
 * metadata ({@code "time":"2017-01-01T00:00:00+08:00"}) writes it.
 *
 * <p>A time without an offset is ambiguous (the camera's zone is not known here), one before 2000
 * is a camera whose clock was never set (after a power cut it restarts at 1970), one more than a
 * day after the gateway received the message is a wrong clock: each is a problem on {@code $.time},
 * and the gateway's receive time is used so that the count itself is kept.
 */
final class AnalyticsTime {
    static final String FIELD = "$.time";
    /** 2000-01-01T00:00:00Z. */
    static final long EARLIEST = 946_684_800_000L;
    static final long MAX_AHEAD_MILLIS = 24L * 3600 * 1000;

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);

    private AnalyticsTime() {
    }

    /** @param problem why {@code time} was not used, or null */
    record Time(long timestamp, String problem) {
    }

    static Time of(JsonNode time, long receivedAt) {
        if (time == null || time.isNull()) {
            return new Time(receivedAt, null);
        }
        if (!time.isTextual()) {
            return fallback(receivedAt, "expected an ISO 8601 time with a UTC offset, got " + JsonPayloadReader.describe(time));
        }
        long millis;
        try {
            String text = time.textValue().strip();
            millis = IsoTimestamp.fastEpochMillis(text);
            if (millis == IsoTimestamp.NOT_FAST) {
                millis = OffsetDateTime.parse(text, ISO).toInstant().toEpochMilli();
            }
        } catch (DateTimeException | ArithmeticException e) {
            return fallback(receivedAt, "not an ISO 8601 time with a UTC offset: " + ProblemText.quote(time.textValue()));
        }
        if (millis < EARLIEST || millis > receivedAt + MAX_AHEAD_MILLIS) {
            return fallback(receivedAt, "time " + Instant.ofEpochMilli(millis) + " is not plausible (before 2000, or more"
                    + " than a day after the gateway received the message: is the camera's clock set?)");
        }
        return new Time(millis, null);
    }

    private static Time fallback(long receivedAt, String why) {
        return new Time(receivedAt, why + "; the gateway's receive time is used instead");
    }
}

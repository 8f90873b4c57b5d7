package org.smartschool.bridge.codec.zigbee2mqtt;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;

/**
 * The time of a Zigbee2MQTT state message, from its {@code last_seen} field.
 *
 * <p>Zigbee2MQTT adds {@code last_seen} when {@code advanced.last_seen} is set (off by default);
 * it is when the coordinator last heard the device, i.e. when this state was reported, stamped on
 * the Zigbee2MQTT host. Its format follows that setting (formatDate in
 * https://github.com/Koenkk/zigbee2mqtt/blob/master/lib/util/utils.ts, settings documented at
 * https://www.zigbee2mqtt.io/guide/configuration/all-settings.html):
 * <ul>
 *   <li>{@code ISO_8601}: {@code 2019-03-01T15:32:45.941Z} (JavaScript toISOString);</li>
 *   <li>{@code ISO_8601_local}: {@code 2019-03-01T16:32:45+01:00} (old releases wrote {@code +0100});</li>
 *   <li>{@code epoch}: milliseconds since 1970 as a JSON number;</li>
 *   <li>{@code relative}: {@code "5 seconds ago"}, too coarse to be a time stamp: the gateway's
 *       receive time is used, without a problem, since the setting is legitimate.</li>
 * </ul>
 * A time that cannot be parsed, has no UTC offset, lies before 2000 (typically epoch seconds sent
 * where milliseconds belong) or more than a day after the gateway received the message is
 * reported as a problem on {@code $.last_seen}, and the receive time is used instead, so the
 * readings of the message are kept.
 */
final class LastSeen {
    static final String FIELD = "$.last_seen";
    /** 2000-01-01T00:00:00Z: no Zigbee2MQTT installation is older. */
    static final long EARLIEST = 946_684_800_000L;
    static final long MAX_AHEAD_MILLIS = 24L * 3600 * 1000;

    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT); // 30 February is an error, not 28 February

    private LastSeen() {
    }

    /** @param problem why {@code last_seen} was not used, or null */
    record Time(long timestamp, String problem) {
    }

    static Time of(JsonNode lastSeen, long receivedAt) {
        if (lastSeen == null || lastSeen.isNull()) {
            return new Time(receivedAt, null);
        }
        long millis;
        if (lastSeen.isNumber()) {
            JsonPayloadReader.NumberValue n = JsonPayloadReader.number(lastSeen);
            if (!n.ok()) {
                return fallback(receivedAt, n.problem());
            }
            if (!lastSeen.isIntegralNumber() && n.value() != Math.rint(n.value())) {
                return fallback(receivedAt, "epoch milliseconds must be a whole number, got "
                        + ProblemText.clean(lastSeen.asText(), 40));
            }
            if (Math.abs(n.value()) > 9e15) {
                return fallback(receivedAt, "epoch milliseconds " + ProblemText.clean(lastSeen.asText(), 40)
                        + " are out of range");
            }
            millis = (long) n.value();
        } else if (lastSeen.isTextual()) {
            String text = lastSeen.textValue().trim();
            if (text.endsWith(" ago")) {
                return new Time(receivedAt, null);
            }
            try {
                millis = parseIso(text);
            } catch (DateTimeException e) {
                return fallback(receivedAt, "not an ISO 8601 time with a UTC offset: " + ProblemText.quote(text));
            }
        } else {
            return fallback(receivedAt, "expected an ISO 8601 string or epoch milliseconds, got "
                    + JsonPayloadReader.describe(lastSeen));
        }
        if (millis < EARLIEST || millis > receivedAt + MAX_AHEAD_MILLIS) {
            return fallback(receivedAt, "time " + Instant.ofEpochMilli(millis) + " is not plausible (before 2000"
                    + " or more than a day after the gateway received the message)");
        }
        return new Time(millis, null);
    }

    private static long parseIso(String text) {
        long fast = parseToIsoString(text);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        TemporalAccessor parsed = ISO.parse(text);
        if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            throw new DateTimeException("no offset");
        }
        return OffsetDateTime.from(parsed).toInstant().toEpochMilli();
    }

    /**
     * JavaScript's toISOString form, {@code 2019-03-01T15:32:45.941Z}, the default and by far the
     * most frequent, without the formatter's allocations; {@link Long#MIN_VALUE} when the text has
     * another form (then the formatter decides).
     */
    static long parseToIsoString(String t) {
        if (t.length() != 24 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != '.' || t.charAt(23) != 'Z') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int millis = digits(t, 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0 || hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay(); // throws DateTimeException for 30 February
        return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
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

    private static Time fallback(long receivedAt, String why) {
        return new Time(receivedAt, why + "; the gateway's receive time is used instead");
    }
}

package org.smartschool.bridge.codec.zigbee2mqtt;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

import com.fasterxml.jackson.databind.JsonNode;

import org.smartschool.bridge.codec.JsonPayloadReader;
import org.smartschool.bridge.codec.ProblemText;
import org.smartschool.bridge.codec.devicetime.IsoTimestamp;

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
        long fast = IsoTimestamp.fastEpochMillis(text);
        if (fast != IsoTimestamp.NOT_FAST) {
            return fast;
        }
        TemporalAccessor parsed = ISO.parse(text);
        if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            throw new DateTimeException("no offset");
        }
        return OffsetDateTime.from(parsed).toInstant().toEpochMilli();
    }

    private static Time fallback(long receivedAt, String why) {
        return new Time(receivedAt, why + "; the gateway's receive time is used instead");
    }
}

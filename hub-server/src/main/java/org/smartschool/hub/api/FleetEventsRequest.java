package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.function.Function;

import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.fleet.FleetEventQuery;
import org.smartschool.hub.fleet.FleetEventType;

/**
 * Turns the query parameters of {@code GET /api/v1/fleet/events} into a {@link FleetEventQuery}, or a
 * {@link BadParameterException} naming the first bad parameter. Plain Java: tested without a server.
 *
 * <p>All optional: {@code school}, {@code gateway} (ids), {@code type} (a fleet event type label), {@code from}
 * (inclusive) and {@code to} (exclusive) as ISO-8601 date-times with an offset ({@code to} defaults to now,
 * {@code from} to {@value #DEFAULT_DAYS} days before {@code to}), {@code limit} 1-{@value #MAX_LIMIT}, default
 * {@value #DEFAULT_LIMIT}.
 */
public final class FleetEventsRequest {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;
    public static final int DEFAULT_DAYS = 7;

    private FleetEventsRequest() {
    }

    /** @param parameter a query parameter's value by name, null when absent */
    public static FleetEventQuery parse(Function<String, String> parameter, Clock clock) {
        String school = optionalId("school", parameter.apply("school"));
        String gateway = optionalId("gateway", parameter.apply("gateway"));
        FleetEventType type = type(parameter.apply("type"));
        Instant to = instant("to", parameter.apply("to"), clock.instant().plusMillis(1));
        Instant from = instant("from", parameter.apply("from"), to.minus(Duration.ofDays(DEFAULT_DAYS)));
        if (from.isAfter(to)) {
            throw new BadParameterException("from", "from (" + from + ") is after to (" + to + ")");
        }
        return new FleetEventQuery(school, gateway, type, from.toEpochMilli(), to.toEpochMilli(),
                limit(parameter.apply("limit")));
    }

    private static String optionalId(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!Ids.isValid(value)) {
            throw new BadParameterException(name, name + " must be an id (1-64 letters, digits, '.', '_', '-')");
        }
        return value;
    }

    private static FleetEventType type(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return Arrays.stream(FleetEventType.values()).filter(t -> t.label().equals(value)).findFirst()
                .orElseThrow(() -> new BadParameterException("type", "unknown type; expected one of "
                        + Arrays.stream(FleetEventType.values()).map(FleetEventType::label).toList()));
    }

    private static Instant instant(String name, String value, Instant otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name, name + " must be an ISO-8601 date-time with offset,"
                    + " e.g. 2025-03-01T08:00:00Z or 2025-03-01T15:00:00+07:00");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadParameterException("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadParameterException("limit", "limit must be from 1 to " + MAX_LIMIT + ": " + limit);
        }
        return limit;
    }
}

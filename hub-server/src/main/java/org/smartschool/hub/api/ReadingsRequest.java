package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.hub.store.ReadingQuery;

/**
 * Turns the query parameters of {@code GET /api/v1/readings} into a {@link ReadingQuery}, or a
 * {@link BadParameterException} naming the first bad parameter. Plain Java: tested without a server.
 *
 * <p>{@code school}, {@code room}, {@code quantity} are required. {@code from} (inclusive) and
 * {@code to} (exclusive) are ISO-8601 date-times with an offset ({@code 2025-03-01T08:00:00Z},
 * {@code 2025-03-01T15:00:00+07:00}); {@code to} defaults to now and {@code from} to 24 hours before
 * {@code to}. {@code limit} is 1-{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}.
 */
public final class ReadingsRequest {
    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private ReadingsRequest() {
    }

    /** @param parameter a query parameter's value by name, null when absent */
    public static ReadingQuery parse(Function<String, String> parameter, Clock clock) {
        String school = id("school", parameter);
        String room = id("room", parameter);
        Quantity quantity = quantity(parameter.apply("quantity"));
        Optional<String> device = Optional.ofNullable(parameter.apply("device")).map(d -> {
            if (!Ids.isValid(d)) {
                throw new BadParameterException("device", "device must be an id (1-64 letters, digits, '.', '_', '-')");
            }
            return d;
        });
        Instant to = instant("to", parameter.apply("to")).orElseGet(clock::instant);
        Instant from = instant("from", parameter.apply("from")).orElse(to.minus(DEFAULT_WINDOW));
        if (from.isAfter(to)) {
            throw new BadParameterException("from", "from (" + from + ") is after to (" + to + ")");
        }
        int limit = limit(parameter.apply("limit"));
        return new ReadingQuery(school, room, quantity, device, from.toEpochMilli(), to.toEpochMilli(), limit);
    }

    private static String id(String name, Function<String, String> parameter) {
        String value = parameter.apply(name);
        if (value == null || value.isEmpty()) {
            throw new BadParameterException(name, name + " is required");
        }
        if (!Ids.isValid(value)) {
            throw new BadParameterException(name, name + " must be an id (1-64 letters, digits, '.', '_', '-')");
        }
        return value;
    }

    private static Quantity quantity(String value) {
        if (value == null || value.isEmpty()) {
            throw new BadParameterException("quantity", "quantity is required: one of " + known());
        }
        return Quantity.byId(value).orElseThrow(() ->
                new BadParameterException("quantity", "unknown quantity; expected one of " + known()));
    }

    private static String known() {
        return java.util.Arrays.stream(Quantity.values()).map(Quantity::id).sorted().toList().toString();
    }

    private static Optional<Instant> instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
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

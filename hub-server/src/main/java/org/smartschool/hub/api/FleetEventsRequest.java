package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
        Instant to = QueryParameters.instant("to", parameter.apply("to")).orElse(clock.instant().plusMillis(1));
        Instant from = QueryParameters.instant("from", parameter.apply("from")).orElse(to.minus(Duration.ofDays(DEFAULT_DAYS)));
        if (from.isAfter(to)) {
            throw new BadParameterException("from", "from (" + from + ") is after to (" + to + ")");
        }
        return new FleetEventQuery(school, gateway, type, from.toEpochMilli(), to.toEpochMilli(),
                QueryParameters.limit(parameter.apply("limit"), DEFAULT_LIMIT, MAX_LIMIT));
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
}

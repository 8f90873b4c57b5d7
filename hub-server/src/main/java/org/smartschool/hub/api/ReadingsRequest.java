package org.smartschool.hub.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.hub.store.Aggregation;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.SeriesQuery;

/**
 * Turns the query parameters of {@code GET /api/v1/readings} into a {@link ReadingQuery}, or a
 * {@link BadParameterException} naming the first bad parameter. Plain Java: tested without a server.
 *
 * <p>{@code school}, {@code room}, {@code quantity} are required. {@code from} (inclusive) and
 * {@code to} (exclusive) are ISO-8601 date-times with an offset ({@code 2025-03-01T08:00:00Z},
 * {@code 2025-03-01T15:00:00+07:00}); {@code to} defaults to now and {@code from} to 24 hours before
 * {@code to}. {@code limit} is 1-{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}.
 *
 * <p>{@code step} ({@code 15m}, {@code 1h}, {@code 1d}, or ISO-8601 {@code PT15M}) and {@code agg}
 * ({@code mean|min|max|last}, default {@code mean}) ask for an aggregated series instead
 * ({@link #series}); a window of more than {@value #MAX_LIMIT} steps is refused, naming {@code step}.
 */
public final class ReadingsRequest {
    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final Duration MAX_STEP = Duration.ofDays(366);
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})([smhdw])");

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
        Instant to = QueryParameters.instant("to", parameter.apply("to")).orElseGet(clock::instant);
        Instant from = QueryParameters.instant("from", parameter.apply("from")).orElse(to.minus(DEFAULT_WINDOW));
        if (from.isAfter(to)) {
            throw new BadParameterException("from", "from (" + from + ") is after to (" + to + ")");
        }
        int limit = QueryParameters.limit(parameter.apply("limit"), DEFAULT_LIMIT, MAX_LIMIT);
        return new ReadingQuery(school, room, quantity, device, from.toEpochMilli(), to.toEpochMilli(), limit);
    }

    /**
     * The aggregated series the {@code step} and {@code agg} parameters ask for, or empty when neither is
     * given (the caller answers with the readings).
     */
    public static Optional<SeriesQuery> series(Function<String, String> parameter, ReadingQuery readings) {
        String step = parameter.apply("step");
        String agg = parameter.apply("agg");
        if ((step == null || step.isEmpty()) && (agg == null || agg.isEmpty())) {
            return Optional.empty();
        }
        if (step == null || step.isEmpty()) {
            throw new BadParameterException("step", "step is required with agg, e.g. step=15m or step=PT1H");
        }
        Aggregation aggregation = agg == null || agg.isEmpty() ? Aggregation.MEAN : Aggregation.byId(agg).orElseThrow(() ->
                new BadParameterException("agg", "agg must be one of mean, min, max, last"));
        Duration duration = duration(step);
        if (duration.compareTo(SeriesQuery.MIN_STEP) < 0 || duration.compareTo(MAX_STEP) > 0) {
            throw new BadParameterException("step", "step must be from 1s to 366d");
        }
        long steps = (readings.toMillis() - readings.fromMillis()) / duration.toMillis();
        if (steps > MAX_LIMIT) {
            throw new BadParameterException("step", "step " + step + " cuts the window into " + steps
                    + " steps, more than " + MAX_LIMIT + ": use a larger step or a shorter window");
        }
        return Optional.of(new SeriesQuery(readings, duration, aggregation));
    }

    /**
     * Whether the answer is CSV: {@code format=csv}, or no {@code format} and an {@code Accept} header
     * that names {@code text/csv}; {@code format=json} is JSON whatever the header says.
     */
    public static boolean wantsCsv(String format, String accept) {
        if (format != null && !format.isEmpty()) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw new BadParameterException("format", "format must be csv or json");
            };
        }
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv");
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 1d}, {@code 1w}, or ISO-8601 ({@code PT15M}, {@code P1D}). */
    private static Duration duration(String value) {
        String bad = "step must be a duration such as 30s, 15m, 1h, 1d or PT15M";
        if (value.length() > 32) {
            throw new BadParameterException("step", bad);
        }
        Matcher shortForm = SHORT_DURATION.matcher(value);
        try {
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                return switch (shortForm.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> Duration.ofDays(7 * amount);
                };
            }
            Duration iso = Duration.parse(value);
            if (iso.isNegative() || iso.toNanos() % 1_000_000 != 0) {
                throw new BadParameterException("step", bad);
            }
            return iso;
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new BadParameterException("step", bad);
        }
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
}

package org.smartschool.hub.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Query parameters that several routes take, parsed once and refused with the parameter's name. */
final class QueryParameters {
    private QueryParameters() {
    }

    /** An ISO-8601 date-time with offset, or empty when the parameter is absent. */
    static Optional<Instant> instant(String name, String value) {
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

    /** {@code limit}: a whole number from 1 to {@code max}, {@code otherwise} when absent. */
    static int limit(String value, int otherwise, int max) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadParameterException("limit", "limit must be a whole number from 1 to " + max);
        }
        if (limit < 1 || limit > max) {
            throw new BadParameterException("limit", "limit must be from 1 to " + max + ": " + limit);
        }
        return limit;
    }
}

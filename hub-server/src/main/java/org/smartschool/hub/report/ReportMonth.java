package org.smartschool.hub.report;

import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A calendar month in a school's time zone: the report's window {@code [fromMillis, toMillis)} runs from the first
 * day's midnight to the next month's, local time (Asia/Ho_Chi_Minh by default).
 */
public record ReportMonth(YearMonth month, ZoneId zone) {

    public ReportMonth {
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(zone, "zone");
    }

    /**
     * Parses {@code YYYY-MM}.
     *
     * @throws IllegalArgumentException with a one-line message when the text is not a month
     */
    public static YearMonth parse(String text) {
        if (text == null || !text.matches("[0-9]{4}-[0-9]{2}")) {
            throw new IllegalArgumentException("month must be YYYY-MM");
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("month must be YYYY-MM with a month 01-12");
        }
    }

    public long fromMillis() {
        return month.atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public long toMillis() {
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** Whether the month starts after {@code nowMillis}: there is nothing to report yet. */
    public boolean isFuture(long nowMillis) {
        return fromMillis() > nowMillis;
    }

    @Override
    public String toString() {
        return month.toString();
    }
}

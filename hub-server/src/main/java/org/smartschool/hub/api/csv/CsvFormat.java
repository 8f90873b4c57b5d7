package org.smartschool.hub.api.csv;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field holding a comma,
 * a double quote, CR or LF enclosed in double quotes with its double quotes doubled. Times are UTC with
 * milliseconds ({@code 2026-12-03T08:00:00.000Z}) so that every row has the same width; numbers are plain
 * decimals ({@code 700}, {@code 0.0001}), never exponents, so spreadsheets read them as they are.
 */
public final class CsvFormat {
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8; header=present";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private CsvFormat() {
    }

    /** One record, CRLF included. */
    public static String record(List<String> fields) {
        StringBuilder line = new StringBuilder(64);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            appendField(line, fields.get(i));
        }
        return line.append("\r\n").toString();
    }

    static void appendField(StringBuilder line, String field) {
        if (field == null) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < field.length() && !quote; i++) {
            char c = field.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            line.append(field);
            return;
        }
        line.append('"');
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            line.append(c);
            if (c == '"') {
                line.append('"');
            }
        }
        line.append('"');
    }

    public static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return plain.equals("-0") ? "0" : plain;
    }
}

package org.smartschool.bridge.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How firmware writes numbers and times into its payloads. Fixed decimals are formatted by hand:
 * {@code Double.toString} switches to exponent notation at 10^7 (an energy meter's total) and
 * {@code String.format} is slow for something done for every value of every message.
 */
final class Payloads {
    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final DateTimeFormatter ISO_UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_LOCAL_OFFSET =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx").withZone(SchoolTimetable.ZONE);
    private static final DateTimeFormatter LOCAL_NO_ZONE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(SchoolTimetable.ZONE);

    private Payloads() {
    }

    /** {@code value} rounded to {@code decimals} places, written without an exponent: 4.2, 0.50, 1234567.891. */
    static String decimals(double value, int decimals) {
        long scale = POWERS[decimals];
        long scaled = Math.round(Math.abs(value) * scale);
        StringBuilder out = new StringBuilder(24);
        if (value < 0 && scaled != 0) {
            out.append('-');
        }
        out.append(scaled / scale);
        if (decimals > 0) {
            String fraction = Long.toString(scaled % scale);
            out.append('.');
            for (int i = fraction.length(); i < decimals; i++) {
                out.append('0');
            }
            out.append(fraction);
        }
        return out.toString();
    }

    /** Zigbee2MQTT's {@code last_seen} with {@code advanced.last_seen: ISO_8601}: UTC with milliseconds. */
    static String isoUtcMillis(long epochMillis) {
        return ISO_UTC_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** ISO 8601 in the school's zone with its offset: {@code 2026-03-02T07:05:00+07:00}. */
    static String isoLocalWithOffset(long epochMillis) {
        return ISO_LOCAL_OFFSET.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Tasmota's {@code Time}: the device's local time without a zone. */
    static String localWithoutZone(long epochMillis) {
        return LOCAL_NO_ZONE.format(Instant.ofEpochMilli(epochMillis));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

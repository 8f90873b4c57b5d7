package org.smartschool.bridge.model;

import java.util.regex.Pattern;

import org.smartschool.bridge.text.SafeText;

/**
 * Validates the ids that name schools, rooms, devices and gateways.
 *
 * <p>Ids end up in MQTT topics, InfluxDB tags and URLs, so they may not contain '/', '+', '#',
 * spaces or quotes. A bad id is rejected with a message naming which id it was.
 */
public final class Ids {
    /** Letters, digits, '.', '_' and '-'; starts with a letter or digit; at most 64 characters. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Ids() {
    }

    /**
     * Returns {@code value} when it is a valid id.
     *
     * @param kind what the id names ("school", "room", "device", "gateway"), used in the message
     * @throws InvalidIdException naming the kind and the value
     */
    public static String require(String kind, String value) {
        if (value == null) {
            throw new InvalidIdException(kind + " id is missing");
        }
        // a shared instance was checked when it was shared (SharedIds): the decoder's ids, three per reading
        if (SharedIds.holds(value)) {
            return value;
        }
        if (!isValid(value)) {
            throw new InvalidIdException("invalid " + kind + " id '" + printable(value)
                    + "': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return value;
    }

    /** Same rule as {@link #ID}, without a regex: this runs three times for every reading decoded. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** Keeps a hostile id from flooding a log line or breaking it across lines. */
    static String printable(String value) {
        return SafeText.clean(value, 80);
    }
}

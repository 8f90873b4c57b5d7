package org.smartschool.hub.store.influx;

/**
 * Quoting for InfluxQL text. Values reaching a query are ids (already validated: letters, digits,
 * '.', '_', '-') and quantity names, but they are quoted and escaped anyway, never pasted raw.
 */
final class InfluxQl {
    private InfluxQl() {
    }

    /** A string literal: {@code 'thcs-le-loi'}. */
    static String string(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An identifier: {@code "co2"}. */
    static String ident(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A time condition in epoch milliseconds, {@code from} inclusive and {@code to} exclusive. */
    static String window(long fromMillis, long toMillis) {
        return "time >= " + fromMillis + "ms AND time < " + toMillis + "ms";
    }
}

package org.smartschool.hub.store.influx;

import java.io.IOException;

/**
 * InfluxDB answered a write with an HTTP error. influxdb-java maps error bodies to exceptions by their
 * text only; the hub needs the status to tell a malformed write (400) from an overloaded server (5xx,
 * 429), so {@link WriteStatusInterceptor} raises this and the client wraps it in its
 * {@code InfluxDBIOException}.
 */
final class InfluxHttpStatusException extends IOException {
    private final int status;
    private final String error;

    InfluxHttpStatusException(int status, String error) {
        super("HTTP " + status + ": " + error);
        this.status = status;
        this.error = error;
    }

    int status() {
        return status;
    }

    /** InfluxDB's own message (its JSON {@code error}), shortened and on one line. */
    String error() {
        return error;
    }

    boolean isRetryable() {
        return status == 429 || status >= 500;
    }

    /** A 400 "partial write" that dropped only points older than the retention policy: the rest was written. */
    boolean droppedOnlyPointsBeyondRetention() {
        return status == 400 && error.contains("points beyond retention policy") && !error.contains("unable to parse")
                && !error.contains("field type conflict");
    }
}

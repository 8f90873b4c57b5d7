package org.smartschool.hub.store;

/**
 * The database refused a write as malformed (InfluxDB HTTP 400: a line it cannot parse, a field type
 * conflict). Sending the same batch again gives the same answer: it is a bug (in the hub or in what
 * else writes to the database) to report and fix, not a reason to retry.
 */
public final class StoreRejectedException extends StoreException {
    public StoreRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

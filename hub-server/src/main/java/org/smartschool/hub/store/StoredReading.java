package org.smartschool.hub.store;

/** One stored value of a {@link ReadingQuery}'s quantity; {@code timestamp} in UTC epoch milliseconds. */
public record StoredReading(String device, double value, long timestamp) {
}

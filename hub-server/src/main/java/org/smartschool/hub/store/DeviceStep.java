package org.smartschool.hub.store;

/** One step of one device's aggregated series ({@link SchoolSeriesQuery}): its room, the step's start (UTC epoch ms) and mean. */
public record DeviceStep(String room, String device, long timestamp, double mean) {
}

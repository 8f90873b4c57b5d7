package org.smartschool.hub.report;

/**
 * How long one gateway or device was online in the month.
 *
 * @param kind        {@code gateway} or {@code device}
 * @param id          the gateway id, or {@code room/device}
 * @param periodMillis the month so far (to now for the running month)
 */
public record AvailabilityRow(String kind, String id, long periodMillis, long onlineMillis) {
    public static final String GATEWAY = "gateway";
    public static final String DEVICE = "device";

    public double share() {
        return periodMillis == 0 ? Double.NaN : (double) onlineMillis / periodMillis;
    }
}

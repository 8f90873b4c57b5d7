package org.smartschool.bridge.model;

/**
 * One measured value of one quantity, from one device in one room of one school.
 *
 * @param timestamp UTC epoch milliseconds, stamped as close to the source as possible
 * @param unit always {@code quantity.unit()}: codecs convert before they build a reading
 */
public record Reading(String school, String room, String device, Quantity quantity, double value, String unit,
                      long timestamp) {

    public Reading {
        Ids.require("school", school);
        Ids.require("room", room);
        Ids.require("device", device);
        if (quantity == null) {
            throw new IllegalArgumentException("reading of device '" + device + "' has no quantity");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("reading " + quantity.id() + " of device '" + device
                    + "' is not a finite number: " + value);
        }
        if (!quantity.unit().equals(unit)) {
            throw new IllegalArgumentException("reading " + quantity.id() + " of device '" + device + "' has unit '"
                    + unit + "', expected the canonical unit '" + quantity.unit() + "'");
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("reading " + quantity.id() + " of device '" + device
                    + "' has no timestamp: " + timestamp);
        }
    }

    /** A reading in the quantity's canonical unit. */
    public static Reading of(DeviceRef device, Quantity quantity, double value, long timestamp) {
        return new Reading(device.school(), device.room(), device.device(), quantity, value, quantity.unit(), timestamp);
    }

    public DeviceRef deviceRef() {
        return new DeviceRef(school, room, device);
    }
}

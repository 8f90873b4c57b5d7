package org.smartschool.gateway.wired;

import java.util.List;

import org.smartschool.bridge.codec.PlausibleRanges;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/** How the I2C drivers turn a converted value into a reading: rounded, and only when it can be real. */
final class PlausibleReadings {
    private PlausibleReadings() {
    }

    /** A value outside what the quantity can be (an SCD4x's 0 ppm right after power-up) is left out. */
    static void add(List<Reading> readings, DeviceRef device, Quantity quantity, double value, long now) {
        if (PlausibleRanges.problem(quantity, value) == null) {
            readings.add(Reading.of(device, quantity, value, now));
        }
    }

    /** The sensors' resolution is far coarser than a double's: keep the stored value readable. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}

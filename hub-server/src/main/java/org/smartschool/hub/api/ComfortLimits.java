package org.smartschool.hub.api;

import org.smartschool.hub.store.LatestValue;

/**
 * The default comfort limits of DESIGN.md that a single latest value can be checked against: CO2 above
 * 1000 ppm (HCDC), temperature outside 18-32 Cel and humidity outside 40-80 %RH (QCVN 26:2016/BYT).
 * Limits that need a mean over time (noise per hour, PM2.5 per day) or the timetable (light during
 * lessons) are not judged from one value and are left to the school rules.
 */
final class ComfortLimits {
    private ComfortLimits() {
    }

    static boolean outside(LatestValue value) {
        double v = value.value();
        return switch (value.quantity()) {
            case CO2 -> v > 1000;
            case TEMPERATURE -> v < 18 || v > 32;
            case HUMIDITY -> v < 40 || v > 80;
            default -> false;
        };
    }
}

package org.smartschool.hub.config;

/**
 * Fleet liveness (README, "Fleet liveness"): when a gateway or a sensor counts as silent, and how often the hub looks.
 *
 * @param checkSeconds                 how often the silence check runs
 * @param gatewaySilentSeconds         a gateway with no batch and no health report for this long is silent
 *                                     (default 3 x the gateway's 30 s health interval)
 * @param sensorSilentIntervals        a device with no reading stored for this many of its expected intervals is silent
 * @param sensorDefaultIntervalSeconds a device's expected interval until two of its readings taught the hub its own
 * @param sensorMinSilentSeconds       a device is never silent sooner than this: readings reach the hub in batches, so
 *                                     this stays above a gateway's batch period
 */
public record FleetConfig(int checkSeconds, int gatewaySilentSeconds, int sensorSilentIntervals,
                          int sensorDefaultIntervalSeconds, int sensorMinSilentSeconds) {
    public static final FleetConfig DEFAULT = new FleetConfig(15, 90, 3, 60, 180);
    private static final int DAY = 86_400;

    public FleetConfig {
        require("fleet.checkSeconds", checkSeconds, 1, 3600);
        require("fleet.gatewaySilentSeconds", gatewaySilentSeconds, 1, 7 * DAY);
        require("fleet.sensorSilentIntervals", sensorSilentIntervals, 1, 1000);
        require("fleet.sensorDefaultIntervalSeconds", sensorDefaultIntervalSeconds, 1, 7 * DAY);
        require("fleet.sensorMinSilentSeconds", sensorMinSilentSeconds, 0, 7 * DAY);
    }

    public FleetConfig withCheckSeconds(int checkSeconds) {
        return new FleetConfig(checkSeconds, gatewaySilentSeconds, sensorSilentIntervals, sensorDefaultIntervalSeconds,
                sensorMinSilentSeconds);
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ": " + value);
        }
    }
}

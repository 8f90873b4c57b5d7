package org.smartschool.bridge.sim;

import java.util.Objects;

/**
 * What a simulated school has: how many classrooms, whether it has a lab, and how often its devices
 * fail. Classrooms are grouped into buildings of {@value #ROOMS_PER_BUILDING}, each with a power meter.
 *
 * @param rooms classrooms, 1-{@value #MAX_ROOMS}: {@code r101, r102, ...}
 * @param lab whether the school has a lab ({@code lab}: fridge, fume hood, gas and smoke detectors)
 * @param faults how often devices fail; {@link FaultRates#NONE} gives clean data
 */
public record SchoolLayout(int rooms, boolean lab, FaultRates faults) {
    public static final int MAX_ROOMS = 899;
    public static final int ROOMS_PER_BUILDING = 10;

    public SchoolLayout {
        if (rooms < 1 || rooms > MAX_ROOMS) {
            throw new IllegalArgumentException("rooms must be 1-" + MAX_ROOMS + ", got " + rooms);
        }
        Objects.requireNonNull(faults, "faults");
    }

    /**
     * A school of {@code rooms} classrooms with a lab and no faults: the default, because the demo and
     * most tests want clean data. Faults are asked for with {@link #withFaults}.
     */
    public static SchoolLayout of(int rooms) {
        return new SchoolLayout(rooms, true, FaultRates.NONE);
    }

    public SchoolLayout withLab(boolean withLab) {
        return new SchoolLayout(rooms, withLab, faults);
    }

    public SchoolLayout withFaults(FaultRates rates) {
        return new SchoolLayout(rooms, lab, rates);
    }

    /**
     * The average number of messages a school of this layout publishes per simulated minute, without
     * faults, for sizing a history burst or a broker: per classroom 11 (air sensor 6, noise and light
     * node 4, camera 1) and about 0.05 card taps averaged over the week; the lab 4.1 (fridge 1, fume
     * hood 2, gas detector 1, smoke detector 0.1); each building's meter 1.
     */
    public double messagesPerMinute() {
        double perRoom = 60_000.0 / AirQualitySensor.INTERVAL_MILLIS + 2 * 60_000.0 / NoiseLightNode.INTERVAL_MILLIS
                + 60_000.0 / PeopleCountingCamera.INTERVAL_MILLIS + 0.05;
        double lab = 60_000.0 / LabFridge.INTERVAL_MILLIS + 60_000.0 / FumeHood.INTERVAL_MILLIS
                + 60_000.0 / GasDetector.INTERVAL_MILLIS + 60_000.0 / SmokeDetector.INTERVAL_MILLIS;
        return rooms * perRoom + (this.lab ? lab : 0) + buildings() * 60_000.0 / BuildingPowerMeter.INTERVAL_MILLIS;
    }

    /** Buildings, each with up to {@value #ROOMS_PER_BUILDING} classrooms and a power meter: {@code bldg-1, bldg-2, ...}. */
    public int buildings() {
        return (rooms + ROOMS_PER_BUILDING - 1) / ROOMS_PER_BUILDING;
    }
}

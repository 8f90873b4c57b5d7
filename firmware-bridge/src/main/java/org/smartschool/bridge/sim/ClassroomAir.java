package org.smartschool.bridge.sim;

import org.smartschool.bridge.sim.SchoolTimetable.Phase;
import org.smartschool.bridge.sim.SchoolTimetable.Slot;

/**
 * The air of one classroom: CO2 by a well-mixed mass balance, and the temperature, humidity,
 * light, PM2.5 and VOC that go with the room's occupancy and the weather.
 *
 * <p>CO2 (ppm) obeys {@code dC/dt = G n / V * 1e6 - lambda (C - C_out)}, with {@code n} people,
 * {@code G} = 0.0045 L/s of CO2 per person (learners aged 11-16 at about 1.2 met, Persily and de
 * Jonge, Indoor Air 2017), {@code V} the room volume, {@code lambda} the air change rate and
 * {@code C_out} = 420 ppm. Over each step the occupancy and ventilation are constant, so the
 * exact solution {@code C = C_ss + (C - C_ss) exp(-lambda dt)} is used: no integration error,
 * stable for any step. Before the simulation starts, the room is run for six hours so its CO2 fits
 * the time of day.
 */
final class ClassroomAir {
    static final double OUTDOOR_CO2 = 420;
    /** CO2 exhaled per person, m3/s. */
    static final double CO2_PER_PERSON = 0.0045e-3;
    private static final long WARM_UP_MILLIS = 6L * 3600 * 1000;
    private static final long WARM_UP_STEP = 60_000;

    private final Classroom room;
    private final Outdoors outdoors;
    private double co2 = OUTDOOR_CO2;
    private long time;

    ClassroomAir(Classroom room, Outdoors outdoors, long start) {
        this.room = room;
        this.outdoors = outdoors;
        this.time = start - WARM_UP_MILLIS;
        while (time + WARM_UP_STEP <= start) {
            step(WARM_UP_STEP);
        }
        advanceTo(start);
    }

    /** Runs the mass balance up to {@code epochMillis}; never backwards. */
    void advanceTo(long epochMillis) {
        while (time < epochMillis) {
            step(Math.min(10_000, epochMillis - time));
        }
    }

    private void step(long millis) {
        Slot slot = SchoolTimetable.at(time + millis / 2);
        double lambda = room.airChangesPerHour(slot) / 3600.0;
        double generation = room.occupants(slot) * CO2_PER_PERSON / room.volume() * 1e6;
        double steady = OUTDOOR_CO2 + generation / lambda;
        co2 = steady + (co2 - steady) * Math.exp(-lambda * millis / 1000.0);
        time += millis;
    }

    double co2() {
        return co2;
    }

    /**
     * Indoor temperature, Cel: the outdoor cycle damped by the building, plus the room's own
     * offset and the heat of the people in it (about 0.035 Cel per person with fans running).
     */
    double temperature(long epochMillis) {
        double outdoor = outdoors.temperature(epochMillis);
        double indoor = 0.8 * outdoor + 0.2 * 28.5 + room.thermalOffset() + 0.035 * room.occupants(epochMillis);
        return Math.max(25.0, Math.min(34.0, indoor));
    }

    /** Relative humidity, %RH: falls as the air warms (the day's water content roughly constant). */
    double humidity(long epochMillis, double temperature) {
        double rh = 76 - 3.0 * (temperature - 28.5) + outdoors.humidityShift(epochMillis)
                + 0.05 * room.occupants(epochMillis);
        return Math.max(58.0, Math.min(92.0, rh));
    }

    /** Light on the desks, lx: the lamps while the class is in, plus daylight from the windows. */
    double illuminance(long epochMillis) {
        return illuminance(room, outdoors, epochMillis);
    }

    /** Light on the desks of {@code room}, lx; a function of time only, for any light sensor in the room. */
    static double illuminance(Classroom room, Outdoors outdoors, long epochMillis) {
        Slot slot = SchoolTimetable.at(epochMillis);
        double daylight = outdoors.daylight(epochMillis);
        return room.lightsOn(slot) ? room.lightLevel() + 0.3 * daylight : 0.6 * daylight + 1;
    }

    /** PM2.5, ug/m3: outdoor air filtered by the building, plus dust stirred up by the class. */
    double pm25(long epochMillis) {
        Slot slot = SchoolTimetable.at(epochMillis);
        double stirred = slot.phase() == Phase.LESSON || slot.phase() == Phase.SHORT_BREAK
                ? 0.1 * room.occupants(slot) : 0;
        return 0.75 * outdoors.pm25(epochMillis) + stirred;
    }

    /** TVOC, ppb: a background plus human bio-effluents, which track the CO2 excess. */
    double voc() {
        return 60 + 0.18 * (co2 - OUTDOOR_CO2);
    }
}

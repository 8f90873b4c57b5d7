package org.smartschool.bridge.sim;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.sim.SchoolTimetable.Lesson;

/**
 * The lab's natural-gas detector, an Aqara JT-BZ-01AQ/A behind Zigbee2MQTT, which reports the gas
 * concentration in %LEL as {@code gas_density} (https://www.zigbee2mqtt.io/devices/JT-BZ-01AQ_A.html);
 * its state every 60 s:
 * <pre>
 * zigbee2mqtt/lab/lab-gas/availability  {"state":"online"}
 * zigbee2mqtt/lab/lab-gas               {"gas":false,"gas_density":0,"gas_sensitivity":"15%LEL",
 *                                        "last_seen":"2026-03-02T01:15:00.000Z","linkquality":118,"power_outage_count":0}
 * </pre>
 * Clean air reads 0 %LEL (1 now and then: the sensor's resolution). On a share {@value #LEAK_DAY_SHARE}
 * of the days with lab lessons (drawn from the seed), a burner tap left open in a lab lesson
 * leaks a little: the level rises over 4 minutes to 3-12 %LEL and falls back with a 6-minute time
 * constant; {@code gas} turns true only at the detector's 15 %LEL sensitivity, which such a leak
 * does not reach. Leaks are part of the school's life, not faults: they happen with faults off too.
 * A spike is a {@code gas_density} of 255.
 */
final class GasDetector implements Firmware {
    static final long INTERVAL_MILLIS = 60_000;
    static final DeviceKind KIND = Zigbee2Mqtt.kind(INTERVAL_MILLIS, DeviceKind.SENSOR_FAULTS);
    static final double LEAK_DAY_SHARE = 0.08;
    static final double SENSITIVITY = 15;
    static final double SPIKE_DENSITY = 255;

    private static final long RISE_MILLIS = 4 * 60_000;
    private static final double DECAY_MILLIS = 6 * 60_000.0;
    private static final int DENSITY = 0;
    private static final int GAS = 1;
    private static final int LINK_QUALITY = 2;

    /** A leak: when it starts and how high it peaks, %LEL. */
    record Leak(long start, double peak) {
        double level(long at) {
            if (at < start) {
                return 0;
            }
            if (at < start + RISE_MILLIS) {
                return peak * (at - start) / RISE_MILLIS;
            }
            return peak * Math.exp(-(at - start - RISE_MILLIS) / DECAY_MILLIS);
        }
    }

    private final String id = LabSchedule.ROOM + "-gas";
    private final DeviceProfile profile;
    private final long seed;
    private final LabSchedule labs;
    private final SplittableRandom random;
    private final double linkBase;
    private LocalDate leakDay;
    private Leak leak;

    GasDetector(LabSchedule labs, long seed, long start) {
        this.labs = labs;
        this.seed = seed;
        this.random = Seeds.random(seed, LabSchedule.ROOM, id);
        this.linkBase = 80 + random.nextDouble() * 120;
        this.profile = KIND.device(LabSchedule.ROOM, id, start, random);
    }

    /** The leak of {@code day}, or null: a pure function of the seed and the day. */
    Leak leakOn(LocalDate day) {
        if (!day.equals(leakDay)) {
            leakDay = day;
            leak = null;
            List<Lesson> lessons = labs.lessons(day);
            SplittableRandom r = Seeds.random(seed, id, day.toString(), "leak");
            if (!lessons.isEmpty() && r.nextDouble() < LEAK_DAY_SHARE) {
                Lesson lesson = lessons.get(r.nextInt(lessons.size()));
                leak = new Leak(lesson.start() + 5 * 60_000 + r.nextLong(25 * 60_000), 3 + 9 * r.nextDouble());
            }
        }
        return leak;
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        Leak today = leakOn(SchoolTimetable.day(at));
        double level = today == null ? 0 : today.level(at);
        double noise = random.nextDouble();
        double density = level < 0.5 ? (noise < 0.02 ? 1 : 0) : Math.max(0, Math.round(level + (noise - 0.5)));
        double linkquality = Zigbee2Mqtt.linkQuality(linkBase, random, 5);
        return new double[] {density, density >= SENSITIVITY ? 1 : 0, linkquality};
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return Firmware.replaced(values, DENSITY, SPIKE_DENSITY);
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        String json = "{\"gas\":" + (v[GAS] > 0)
                + ",\"gas_density\":" + (long) v[DENSITY]
                + ",\"gas_sensitivity\":\"15%LEL\""
                + ",\"last_seen\":\"" + Payloads.isoUtcMillis(at) + "\""
                + ",\"linkquality\":" + (long) v[LINK_QUALITY]
                + ",\"power_outage_count\":0}";
        return List.of(new SimulatedMessage(profile.topic(), Payloads.utf8(json), at));
    }
}

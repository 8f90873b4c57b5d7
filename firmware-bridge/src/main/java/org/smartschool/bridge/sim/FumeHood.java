package org.smartschool.bridge.sim;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * The lab's fume hood face-velocity monitor, a small board that publishes SenML (RFC 8428) JSON
 * every 30 s over MQTT 3.1.1 (no content type: the senml codec reads JSON then), its EUI-64 as the
 * base name and the time as the base time in seconds:
 * <pre>
 * senml/lab/lab-hood  [{"bn":"urn:dev:mac:0024befffe804ff1:","bt":1772413205.123,"n":"face_velocity","u":"m/s","v":0.52}]
 * </pre>
 * Shelly has no air-velocity component and Zigbee2MQTT no face-velocity expose; SenML names the
 * quantity ({@code face_velocity}) and its unit ({@code m/s}) itself, which is why such monitors
 * use it. The monitor has no availability topic the senml codec reads, so it is not given outages.
 *
 * <p>The exhaust fan runs 06:45-17:15 on school days at the hood's design face velocity (0.47-0.53
 * m/s, ANSI Z9.5's 0.4-0.6 band); during lab lessons the sash moves every five minutes, and a wider
 * opening lowers the velocity and a lower one raises it (factor 0.86-1.12). Off, it reads the still
 * air, 0.00-0.01 m/s. A spike is a velocity of 99.9 m/s from a glitching thermal anemometer.
 */
final class FumeHood implements Firmware {
    static final long INTERVAL_MILLIS = 30_000;
    static final List<TopicRoute> ROUTES = List.of(new TopicRoute("senml/{room}/{device}", "senml"));
    /** No availability topic the senml codec reads, so no outages. */
    static final DeviceKind KIND = new DeviceKind("senml", ROUTES, INTERVAL_MILLIS,
            EnumSet.of(FaultKind.STUCK, FaultKind.DROPOUT, FaultKind.SPIKE), Availability.NONE);
    static final double SPIKE_VELOCITY = 99.9;
    static final LocalTime FAN_ON = LocalTime.of(6, 45);
    static final LocalTime FAN_OFF = LocalTime.of(17, 15);

    private static final long SASH_BLOCK_MILLIS = 5 * 60_000;

    private final String id = LabSchedule.ROOM + "-hood";
    private final DeviceProfile profile;
    private final long seed;
    private final LabSchedule labs;
    private final SplittableRandom random;
    private final String baseName;
    private final double design;

    FumeHood(LabSchedule labs, long seed, long start) {
        this.labs = labs;
        this.seed = seed;
        this.random = Seeds.random(seed, LabSchedule.ROOM, id);
        byte[] eui = new byte[8];
        for (int i = 0; i < eui.length; i++) {
            eui[i] = (byte) random.nextInt(256);
        }
        this.baseName = "urn:dev:mac:" + HexFormat.of().formatHex(eui) + ":";
        this.design = 0.47 + random.nextDouble() * 0.06;
        this.profile = KIND.device(LabSchedule.ROOM, id, start, random);
    }

    /** Whether the exhaust fan runs at that instant. */
    static boolean fanOn(long epochMillis) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMillis).atZone(SchoolTimetable.ZONE);
        LocalTime time = local.toLocalTime();
        return SchoolTimetable.isSchoolDay(local.toLocalDate()) && !time.isBefore(FAN_ON) && time.isBefore(FAN_OFF);
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        double noise = Seeds.gaussian(random, 0.008);
        if (!fanOn(at)) {
            return new double[] {Math.min(0.01, Math.abs(noise) / 2)};
        }
        double sash = 1.0;
        if (labs.inLesson(at)) {
            sash = 0.86 + 0.26 * Seeds.uniform(seed, id, "sash", Long.toString(at / SASH_BLOCK_MILLIS));
        }
        return new double[] {Math.max(0, design * sash + noise)};
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return new double[] {SPIKE_VELOCITY};
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        String json = "[{\"bn\":\"" + baseName + "\",\"bt\":" + Payloads.decimals(at / 1000.0, 3)
                + ",\"n\":\"face_velocity\",\"u\":\"m/s\",\"v\":" + Payloads.decimals(v[0], 2) + "}]";
        return List.of(new SimulatedMessage(profile.topic(), Payloads.utf8(json), at));
    }
}

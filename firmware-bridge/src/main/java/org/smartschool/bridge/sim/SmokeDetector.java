package org.smartschool.bridge.sim;

import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;


/**
 * The lab's smoke detector, a Heiman HS1SA behind Zigbee2MQTT
 * (https://www.zigbee2mqtt.io/devices/HS1SA.html), on batteries: its state every 10 minutes
 * (the detector's check-in) and at once when the alarm changes:
 * <pre>
 * zigbee2mqtt/lab/lab-smoke  {"battery":96,"battery_low":false,"last_seen":"2026-03-02T01:15:00.000Z",
 *                             "linkquality":87,"smoke":false,"tamper":false}
 * </pre>
 * {@code smoke} is true only during a {@link FaultKind#FALSE_ALARM} (dust or steam, 1-3 minutes),
 * which happens only when faults are switched on: the simulated school never burns.
 */
final class SmokeDetector implements Firmware {
    static final long INTERVAL_MILLIS = 600_000;
    static final DeviceKind KIND = Zigbee2Mqtt.kind(INTERVAL_MILLIS,
            EnumSet.of(FaultKind.DROPOUT, FaultKind.OFFLINE, FaultKind.FALSE_ALARM));

    /** Battery drains one percent per five days. */
    private static final long MILLIS_PER_BATTERY_PERCENT = 5L * 24 * 3600 * 1000;
    private static final int SMOKE = 0;
    private static final int BATTERY = 1;
    private static final int LINK_QUALITY = 2;

    private final DeviceProfile profile;
    private final SplittableRandom random;
    private final long start;
    private final double startBattery;
    private final double linkBase;

    SmokeDetector(long seed, long start) {
        String id = LabSchedule.ROOM + "-smoke";
        this.random = Seeds.random(seed, LabSchedule.ROOM, id);
        this.start = start;
        this.startBattery = 70 + random.nextDouble() * 30;
        this.linkBase = 50 + random.nextDouble() * 120;
        this.profile = KIND.device(LabSchedule.ROOM, id, start, random);
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        double battery = Math.max(1, Math.round(startBattery - (double) (at - start) / MILLIS_PER_BATTERY_PERCENT));
        double linkquality = Zigbee2Mqtt.linkQuality(linkBase, random, 6);
        return new double[] {0, battery, linkquality};
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return Firmware.replaced(values, SMOKE, 1);
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        String json = "{\"battery\":" + (long) v[BATTERY]
                + ",\"battery_low\":" + (v[BATTERY] <= 15)
                + ",\"last_seen\":\"" + Payloads.isoUtcMillis(at) + "\""
                + ",\"linkquality\":" + (long) v[LINK_QUALITY]
                + ",\"smoke\":" + (v[SMOKE] > 0)
                + ",\"tamper\":false}";
        return List.of(new SimulatedMessage(profile.topic(), Payloads.utf8(json), at));
    }
}

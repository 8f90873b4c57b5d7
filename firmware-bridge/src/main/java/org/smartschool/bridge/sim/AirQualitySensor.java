package org.smartschool.bridge.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A Zigbee air-quality box behind Zigbee2MQTT (a Tuya "smart air house keeper"-class device with a
 * battery), friendly name {@code <room>/<device>}: an availability message when it starts, then
 * every 10 s its state as Zigbee2MQTT publishes it
 * (https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html), with
 * {@code advanced.last_seen: ISO_8601}:
 * <pre>
 * zigbee2mqtt/r101/r101-air/availability  {"state":"online"}
 * zigbee2mqtt/r101/r101-air               {"battery":87,"co2":812,"humidity":71.3,"illuminance":412,
 *                                          "last_seen":"2026-03-02T01:15:00.000Z","linkquality":142,
 *                                          "pm25":23,"temperature":29.4,"voc":131}
 * </pre>
 * Values carry the sensor's noise and resolution (CO2 +-8 ppm NDIR noise, integers where the
 * device reports integers, one decimal for temperature and humidity); voc is in ppb. A spike is the
 * NDIR sensor's 65535 ppm read error.
 */
final class AirQualitySensor implements Firmware {
    static final long INTERVAL_MILLIS = 10_000;
    static final DeviceKind KIND = Zigbee2Mqtt.kind(INTERVAL_MILLIS, DeviceKind.SENSOR_FAULTS);
    static final double SPIKE_CO2 = 65_535;

    /** Battery drains one percent per 36 hours of running. */
    private static final long MILLIS_PER_BATTERY_PERCENT = 36L * 3600 * 1000;
    private static final int TEMPERATURE = 0;
    private static final int HUMIDITY = 1;
    private static final int CO2 = 2;
    private static final int ILLUMINANCE = 3;
    private static final int PM25 = 4;
    private static final int VOC = 5;
    private static final int BATTERY = 6;
    private static final int LINK_QUALITY = 7;

    private final DeviceProfile profile;
    private final ClassroomAir air;
    private final SplittableRandom random;
    private final long start;
    private final double startBattery;
    private final double linkBase;
    /** Scripted CO2 of the room ({@link Scenario}), replacing the model's while one runs. */
    private final List<Scenario.Co2Surge> surges;

    AirQualitySensor(Classroom room, Outdoors outdoors, long seed, long start) {
        this(room, outdoors, seed, start, List.of());
    }

    AirQualitySensor(Classroom room, Outdoors outdoors, long seed, long start, List<Scenario.Co2Surge> surges) {
        this.surges = List.copyOf(surges);
        String id = room.id() + "-air";
        this.random = Seeds.random(seed, room.id(), id);
        this.start = start;
        this.air = new ClassroomAir(room, outdoors, start);
        this.startBattery = 60 + random.nextDouble() * 40;
        this.linkBase = 60 + random.nextDouble() * 140;
        this.profile = KIND.device(room.id(), id, start, random);
    }

    @Override
    public DeviceProfile profile() {
        return profile;
    }

    @Override
    public double[] measure(long at) {
        air.advanceTo(at);
        double temperature = air.temperature(at) + Seeds.gaussian(random, 0.08);
        double humidity = air.humidity(at, temperature) + Seeds.gaussian(random, 0.4);
        double co2 = Math.max(400, Math.round(co2(at) + Seeds.gaussian(random, 8)));
        double light = air.illuminance(at);
        double illuminance = Math.max(0, Math.round(light + Seeds.gaussian(random, 0.5 + 0.015 * light)));
        double pm25 = Math.max(1, Math.round(air.pm25(at) + Seeds.gaussian(random, 1.5)));
        double voc = Math.max(0, Math.round(air.voc() + Seeds.gaussian(random, 6)));
        double battery = Math.max(1, Math.round(startBattery - (double) (at - start) / MILLIS_PER_BATTERY_PERCENT));
        double linkquality = Zigbee2Mqtt.linkQuality(linkBase, random, 6);
        return new double[] {temperature, Math.max(0, Math.min(100, humidity)), co2, illuminance, pm25, voc, battery, linkquality};
    }

    /** The room's CO2 without the sensor's noise: the model's, or a scripted surge's while it runs. */
    private double co2(long at) {
        for (Scenario.Co2Surge surge : surges) {
            double scripted = surge.ppm(at);
            if (!Double.isNaN(scripted)) {
                return scripted;
            }
        }
        return air.co2();
    }

    @Override
    public double[] inject(FaultKind kind, double[] values) {
        return Firmware.replaced(values, CO2, SPIKE_CO2);
    }

    @Override
    public List<SimulatedMessage> report(long at, double[] v) {
        String state = "{\"battery\":" + (long) v[BATTERY]
                + ",\"co2\":" + (long) v[CO2]
                + ",\"humidity\":" + Payloads.decimals(v[HUMIDITY], 1)
                + ",\"illuminance\":" + (long) v[ILLUMINANCE]
                + ",\"last_seen\":\"" + Payloads.isoUtcMillis(at) + "\""
                + ",\"linkquality\":" + (long) v[LINK_QUALITY]
                + ",\"pm25\":" + (long) v[PM25]
                + ",\"temperature\":" + Payloads.decimals(v[TEMPERATURE], 1)
                + ",\"voc\":" + (long) v[VOC]
                + "}";
        return List.of(new SimulatedMessage(profile.topic(), Payloads.utf8(state), at));
    }
}

package org.smartschool.bridge.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

import org.smartschool.bridge.routing.TopicRoute;

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
 * device reports integers, one decimal for temperature and humidity); voc is in ppb.
 */
final class AirQualitySensor implements SimulatedDevice {
    static final long INTERVAL_MILLIS = 10_000;
    static final List<TopicRoute> ROUTES = List.of(
            new TopicRoute("zigbee2mqtt/{room}/{device}/availability", "zigbee2mqtt"),
            new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt"));

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Battery drains one percent per 36 hours of running. */
    private static final long MILLIS_PER_BATTERY_PERCENT = 36L * 3600 * 1000;

    private final String id;
    private final Classroom room;
    private final ClassroomAir air;
    private final SplittableRandom random;
    private final String topic;
    private final long start;
    private final double startBattery;
    private final double linkBase;
    private boolean announced;
    private long nextAt;

    AirQualitySensor(Classroom room, Outdoors outdoors, long seed, long start) {
        this.room = room;
        this.id = room.id() + "-air";
        this.topic = "zigbee2mqtt/" + room.id() + "/" + id;
        this.random = Seeds.random(seed, room.id(), id);
        this.start = start;
        this.air = new ClassroomAir(room, outdoors, start);
        this.startBattery = 60 + random.nextDouble() * 40;
        this.linkBase = 60 + random.nextDouble() * 140;
        this.nextAt = start;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String room() {
        return room.id();
    }

    @Override
    public long nextAt() {
        return nextAt;
    }

    @Override
    public List<TopicRoute> routes() {
        return ROUTES;
    }

    @Override
    public SimulatedMessage next() {
        long at = nextAt;
        if (!announced) {
            announced = true;
            // devices report at their own phase within the 10 s, not all at once
            nextAt = start + 1 + random.nextLong(INTERVAL_MILLIS - 1);
            return new SimulatedMessage(topic + "/availability", bytes("{\"state\":\"online\"}"), at);
        }
        nextAt = at + INTERVAL_MILLIS;
        return new SimulatedMessage(topic, bytes(state(at)), at);
    }

    private String state(long at) {
        air.advanceTo(at);
        double temperature = air.temperature(at) + gaussian(0.08);
        double humidity = air.humidity(at, temperature) + gaussian(0.4);
        long co2 = Math.max(400, Math.round(air.co2() + gaussian(8)));
        double light = air.illuminance(at);
        long illuminance = Math.max(0, Math.round(light + gaussian(0.5 + 0.015 * light)));
        long pm25 = Math.max(1, Math.round(air.pm25(at) + gaussian(1.5)));
        long voc = Math.max(0, Math.round(air.voc() + gaussian(6)));
        long battery = Math.max(1, Math.round(startBattery - (double) (at - start) / MILLIS_PER_BATTERY_PERCENT));
        long linkquality = Math.max(0, Math.min(255, Math.round(linkBase + gaussian(6))));
        return "{\"battery\":" + battery
                + ",\"co2\":" + co2
                + ",\"humidity\":" + oneDecimal(clamp(humidity, 0, 100))
                + ",\"illuminance\":" + illuminance
                + ",\"last_seen\":\"" + ISO_MILLIS.format(Instant.ofEpochMilli(at)) + "\""
                + ",\"linkquality\":" + linkquality
                + ",\"pm25\":" + pm25
                + ",\"temperature\":" + oneDecimal(temperature)
                + ",\"voc\":" + voc
                + "}";
    }

    private double gaussian(double sigma) {
        // Box-Muller from the device's own stream: SplittableRandom has no nextGaussian on Java 17
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    private static String oneDecimal(double v) {
        return Double.toString(Math.round(v * 10) / 10.0);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

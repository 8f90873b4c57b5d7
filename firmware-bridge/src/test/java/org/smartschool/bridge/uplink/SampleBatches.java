package org.smartschool.bridge.uplink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/** Realistic batches built from a fixed seed, so that their encoded sizes are deterministic. */
public final class SampleBatches {
    static final String SCHOOL = "thpt-le-loi";
    static final String GATEWAY = "gw-le-loi-01";
    /** 2025-03-10T01:00:00Z, 08:00 in Ho Chi Minh City: first lesson. */
    static final long START = 1_741_568_400_000L;

    private SampleBatches() {
    }

    /**
     * One classroom for 5 minutes: 3 devices, 7 quantities, a message per device every 10 s
     * (+/- 300 ms jitter), i.e. 210 readings in time order, plus a card tap, a door opening and a
     * people count.
     */
    public static Batch classroom(long seed) {
        Random random = new Random(seed);
        String room = "r2-07";
        ClassroomDevices devices = new ClassroomDevices(room, random);
        List<Reading> readings = new ArrayList<>();
        for (int step = 0; step < 30; step++) {
            devices.sample(readings, START + step * 10_000L, random);
        }
        List<DeviceEvent> events = List.of(
                DeviceEvent.of(new DeviceRef(SCHOOL, room, "door-r2-07"), EventType.CARD_TAP, START + 61_234L,
                        Map.of("uid", "04:A2:3B:1C:5D:80", "reader", "in")),
                DeviceEvent.of(new DeviceRef(SCHOOL, room, "door-r2-07"), EventType.DOOR_OPEN, START + 61_950L, Map.of()),
                DeviceEvent.of(new DeviceRef(SCHOOL, room, "cam-r2-07"), EventType.PEOPLE_COUNT, START + 240_000L,
                        Map.of("count", "38")));
        return new Batch(GATEWAY + "-1-213", GATEWAY, SCHOOL, readings, events);
    }

    /** Every classroom of a 40-room school, one message per device, all within 10 s: 280 readings. */
    public static Batch schoolSnapshot(long seed) {
        return school(seed, 1);
    }

    /** Every classroom of a 40-room school for {@code steps} x 10 s: 280 readings per step, in time order. */
    static Batch school(long seed, int steps) {
        Random random = new Random(seed);
        List<ClassroomDevices> rooms = new ArrayList<>();
        for (int floor = 1; floor <= 4; floor++) {
            for (int n = 1; n <= 10; n++) {
                rooms.add(new ClassroomDevices(String.format("r%d-%02d", floor, n), random));
            }
        }
        List<Reading> readings = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            for (ClassroomDevices devices : rooms) {
                devices.sample(readings, START + 300 + step * 10_000L + random.nextInt(9_400), random);
            }
        }
        readings.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        return new Batch(GATEWAY + "-214-" + (213 + readings.size()), GATEWAY, SCHOOL, readings, List.of());
    }

    /** Each series (room/device/quantity) with its readings in order: what a round trip keeps. */
    static Map<String, List<Reading>> bySeries(List<Reading> readings) {
        Map<String, List<Reading>> series = new LinkedHashMap<>();
        for (Reading r : readings) {
            series.computeIfAbsent(r.room() + "/" + r.device() + "/" + r.quantity().id(), k -> new ArrayList<>()).add(r);
        }
        return series;
    }

    static Reading reading(String room, String device, Quantity quantity, double value, long timestamp) {
        return Reading.of(new DeviceRef(SCHOOL, room, device), quantity, value, timestamp);
    }

    static Batch batch(List<Reading> readings, List<DeviceEvent> events) {
        return new Batch(GATEWAY + "-7-9", GATEWAY, SCHOOL, readings, events);
    }

    /** A CO2/temperature/humidity sensor, an air-quality sensor and a light/noise sensor. */
    private static final class ClassroomDevices {
        private final DeviceRef climate;
        private final DeviceRef air;
        private final DeviceRef ambience;
        private double co2;
        private double temperature;
        private double humidity;
        private double pm25;
        private double illuminance;
        private double noise;
        private double voc;

        ClassroomDevices(String room, Random random) {
            climate = new DeviceRef(SCHOOL, room, "co2-" + room);
            air = new DeviceRef(SCHOOL, room, "aq-" + room);
            ambience = new DeviceRef(SCHOOL, room, "env-" + room);
            co2 = 450 + random.nextInt(700);
            temperature = 27 + random.nextDouble() * 5;
            humidity = 60 + random.nextDouble() * 20;
            pm25 = 8 + random.nextDouble() * 20;
            illuminance = 300 + random.nextInt(300);
            noise = 45 + random.nextDouble() * 20;
            voc = 100 + random.nextInt(300);
        }

        void sample(List<Reading> out, long tick, Random random) {
            co2 = clamp(co2 + 3 + random.nextGaussian() * 6, 450, 1400);
            temperature += random.nextGaussian() * 0.1;
            humidity += random.nextGaussian() * 0.3;
            pm25 = clamp(pm25 + random.nextGaussian() * 0.5, 0, 500);
            illuminance = clamp(illuminance + random.nextGaussian() * 15, 0, 2000);
            noise = clamp(noise + random.nextGaussian() * 3, 30, 90);
            voc = clamp(voc + random.nextGaussian() * 10, 0, 2000);

            long t = tick + random.nextInt(601) - 300;
            out.add(Reading.of(climate, Quantity.CO2, Math.round(co2), t));
            out.add(Reading.of(climate, Quantity.TEMPERATURE, oneDecimal(temperature), t));
            out.add(Reading.of(climate, Quantity.HUMIDITY, oneDecimal(humidity), t));
            t = tick + random.nextInt(601) - 300;
            out.add(Reading.of(air, Quantity.PM25, oneDecimal(pm25), t));
            out.add(Reading.of(air, Quantity.VOC, Math.round(voc), t));
            t = tick + random.nextInt(601) - 300;
            out.add(Reading.of(ambience, Quantity.ILLUMINANCE, Math.round(illuminance), t));
            out.add(Reading.of(ambience, Quantity.NOISE, oneDecimal(noise), t));
        }

        /** What a codec produces from "29.4" in a payload. */
        private static double oneDecimal(double v) {
            return Math.round(v * 10) / 10.0;
        }

        private static double clamp(double v, double min, double max) {
            return Math.max(min, Math.min(max, v));
        }
    }
}

package org.smartschool.hub.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;

/** Batches as a classroom gateway sends them. */
public final class Batches {
    /** 2025-03-10T01:00:00Z, 08:00 in Ho Chi Minh City. */
    public static final long T0 = 1_741_568_400_000L;

    private Batches() {
    }

    /**
     * {@code count} CO2 readings of one device in room r1-01, every 10 s from {@code start}, values 600,
     * 610, 620...; a temperature reading at {@code start}; a card tap.
     */
    public static Batch classroom(String gateway, String school, String batchId, long start, int count) {
        DeviceRef sensor = new DeviceRef(school, "r1-01", "co2-r1-01");
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            readings.add(Reading.of(sensor, Quantity.CO2, 600 + 10 * i, start + 10_000L * i));
        }
        readings.add(Reading.of(new DeviceRef(school, "r1-01", "th-r1-01"), Quantity.TEMPERATURE, 27.5, start));
        List<DeviceEvent> events = List.of(DeviceEvent.of(new DeviceRef(school, "r1-01", "door-r1-01"),
                EventType.CARD_TAP, start + 1234, Map.of("uid", "04:A2:3B:1C:5D:80")));
        return new Batch(batchId, gateway, school, readings, events);
    }
}

package org.smartschool.gateway.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.outbox.IntakeFrame;

/** Canonical records for tests. */
public final class Records {
    public static final long T0 = 1_760_000_000_000L;

    private Records() {
    }

    /** {@code count} CO2 readings of one device, values 400, 401, ... one second apart. */
    public static List<Reading> co2(String school, String room, int count) {
        DeviceRef device = new DeviceRef(school, room, "co2-1");
        List<Reading> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Reading.of(device, Quantity.CO2, 400 + i, T0 + i * 1000L));
        }
        return out;
    }

    /** {@code count} door-open events of one door, one second apart. */
    public static List<DeviceEvent> doors(String school, String room, int count) {
        List<DeviceEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(doorOpen(school, room, T0 + i * 1000L));
        }
        return out;
    }

    /**
     * One device frame per record (readings first, then events), so that each record is a row of
     * its own in the outbox: for tests of what happens between records.
     */
    public static List<IntakeFrame> oneFrameEach(List<Reading> readings, List<DeviceEvent> events) {
        List<IntakeFrame> out = new ArrayList<>();
        readings.forEach(r -> out.add(IntakeFrame.of(List.of(r), List.of())));
        events.forEach(e -> out.add(IntakeFrame.of(List.of(), List.of(e))));
        return out;
    }

    public static DeviceEvent doorOpen(String school, String room, long timestamp) {
        return DeviceEvent.of(new DeviceRef(school, room, "door-1"), EventType.DOOR_OPEN, timestamp, Map.of());
    }
}

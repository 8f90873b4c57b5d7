package org.smartschool.bridge.codec.quantity;

import java.util.Map;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;

/** What an on/off value from a sensor means, and the device event it becomes. */
public enum BinaryMeaning {
    /** true: someone is there. {@link EventType#OCCUPANCY} with {@code occupied}. */
    OCCUPANCY,
    /** true: open. {@link EventType#DOOR_OPEN} or {@link EventType#DOOR_CLOSED}. */
    DOOR,
    SMOKE,
    GAS,
    WATER_LEAK,
    TAMPER;

    /** The event for this meaning taking {@code value} at {@code timestamp}. */
    public DeviceEvent event(DeviceRef device, boolean value, long timestamp) {
        return switch (this) {
            case OCCUPANCY -> DeviceEvent.of(device, EventType.OCCUPANCY, timestamp,
                    Map.of("occupied", Boolean.toString(value)));
            case DOOR -> DeviceEvent.of(device, value ? EventType.DOOR_OPEN : EventType.DOOR_CLOSED, timestamp, Map.of());
            case SMOKE -> alert(device, "smoke", value, timestamp);
            case GAS -> alert(device, "gas", value, timestamp);
            case WATER_LEAK -> alert(device, "water_leak", value, timestamp);
            case TAMPER -> alert(device, "tamper", value, timestamp);
        };
    }

    private static DeviceEvent alert(DeviceRef device, String kind, boolean active, long timestamp) {
        return DeviceEvent.of(device, EventType.ALERT, timestamp, Map.of("kind", kind, "active", Boolean.toString(active)));
    }
}

package org.smartschool.bridge.codec.quantity;

import java.util.Map;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;

/** What an on/off channel reports, and the device event each state becomes. */
public enum BinaryKind {
    /** Motion / presence: {@link EventType#OCCUPANCY} with {@code occupied}. */
    OCCUPANCY,
    /** Door contact, on = open: {@link EventType#DOOR_OPEN} / {@link EventType#DOOR_CLOSED}. */
    DOOR,
    /** Window contact, on = open; a door event with {@code contact=window} (CO2 falls when windows open). */
    WINDOW,
    SMOKE,
    GAS,
    WATER_LEAK,
    TAMPER,
    /** Deliberately not decoded. */
    IGNORE;

    /** The event for state {@code on}; null for {@link #IGNORE}. */
    public DeviceEvent event(DeviceRef device, boolean on, long timestamp) {
        return switch (this) {
            case OCCUPANCY -> DeviceEvent.of(device, EventType.OCCUPANCY, timestamp, Map.of("occupied", Boolean.toString(on)));
            case DOOR -> DeviceEvent.of(device, on ? EventType.DOOR_OPEN : EventType.DOOR_CLOSED, timestamp, Map.of("contact", "door"));
            case WINDOW -> DeviceEvent.of(device, on ? EventType.DOOR_OPEN : EventType.DOOR_CLOSED, timestamp, Map.of("contact", "window"));
            case SMOKE -> alert(device, "smoke", on, timestamp);
            case GAS -> alert(device, "gas", on, timestamp);
            case WATER_LEAK -> alert(device, "water_leak", on, timestamp);
            case TAMPER -> alert(device, "tamper", on, timestamp);
            case IGNORE -> null;
        };
    }

    private static DeviceEvent alert(DeviceRef device, String kind, boolean active, long timestamp) {
        return DeviceEvent.of(device, EventType.ALERT, timestamp, Map.of("kind", kind, "active", Boolean.toString(active)));
    }
}

package org.smartschool.gateway.rules;

import java.util.Map;

import org.smartschool.bridge.model.DeviceEvent;

/**
 * Tells a change of state from a repeat: firmware that reports state in every message (Zigbee2MQTT
 * {@code contact} and {@code occupancy}, an inactive gas or smoke alert) would otherwise turn
 * each message into an event for rules and the school management system.
 */
final class StateChanges {
    private final UndoableMap<String> last = new UndoableMap<>();

    /** Whether this event only repeats the state its device last reported; events without a state never are. */
    boolean isRepeat(DeviceEvent e) {
        String key;
        String state;
        switch (e.type()) {
            case DOOR_OPEN, DOOR_CLOSED -> {
                key = "door";
                state = e.type().id();
            }
            case OCCUPANCY -> {
                key = "occupancy";
                state = e.attributes().getOrDefault("occupied", "");
            }
            case ALERT -> {
                key = "alert/" + e.attributes().getOrDefault("kind", "");
                state = e.attributes().getOrDefault("active", "");
            }
            case DEVICE_ONLINE, DEVICE_OFFLINE -> {
                key = "availability";
                state = e.type().id();
            }
            default -> {
                return false;
            }
        }
        String fullKey = e.room() + "/" + e.device() + "/" + key;
        if (state.equals(last.get(fullKey))) {
            return true;
        }
        last.put(fullKey, state);
        return false;
    }

    void mark() {
        last.mark();
    }

    void rollback() {
        last.rollback();
    }

    void commit() {
        last.commit();
    }

    /** The keys changed since {@link #mark()}, with the state they hold now (null: none). */
    Map<String, String> changedSinceMark() {
        return last.changedSinceMark();
    }

    Map<String, String> state() {
        return last.snapshot();
    }

    void restore(Map<String, String> state) {
        last.restore(state);
    }
}

package org.smartschool.gateway.rules;

import java.util.HashMap;
import java.util.Map;

import org.smartschool.bridge.model.DeviceEvent;

/**
 * Tells a change of state from a repeat: firmware that reports state in every message (Zigbee2MQTT
 * {@code contact} and {@code occupancy}, an inactive gas or smoke alert) would otherwise turn
 * each message into an event for rules and the school management system.
 */
final class StateChanges {
    private final Map<String, String> last = new HashMap<>();
    /** Since {@link #mark()}: each changed key's state before its first change (null: none known). */
    private Map<String, String> before;

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
        String previous = last.put(fullKey, state);
        if (before != null && !before.containsKey(fullKey) && !state.equals(previous)) {
            before.put(fullKey, previous);
        }
        return state.equals(previous);
    }

    void mark() {
        before = new HashMap<>();
    }

    void rollback() {
        if (before != null) {
            before.forEach((key, was) -> {
                if (was == null) {
                    last.remove(key);
                } else {
                    last.put(key, was);
                }
            });
        }
        before = null;
    }

    void commit() {
        before = null;
    }

    /** The keys changed since {@link #mark()}, with the state they hold now (null: none). */
    Map<String, String> changedSinceMark() {
        Map<String, String> out = new HashMap<>();
        if (before != null) {
            before.keySet().forEach(key -> out.put(key, last.get(key)));
        }
        return out;
    }

    Map<String, String> state() {
        return Map.copyOf(last);
    }

    void restore(Map<String, String> state) {
        last.clear();
        if (state != null) {
            last.putAll(state);
        }
    }
}

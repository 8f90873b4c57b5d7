package org.smartschool.bridge.model;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Something a device reported happening: a card tap, a door opening, a device going offline.
 *
 * @param id unique per event and stable across replays, so that the hub and the SMS can drop duplicates
 * @param timestamp UTC epoch milliseconds
 * @param attributes event details; may hold personal data (a card uid), which never enters logs
 */
public record DeviceEvent(String id, String school, String room, String device, EventType type, long timestamp,
                          Map<String, String> attributes) {

    public DeviceEvent {
        if (id == null || id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("event of device '" + device + "' has no valid id");
        }
        Ids.require("school", school);
        Ids.require("room", room);
        Ids.require("device", device);
        if (type == null) {
            throw new IllegalArgumentException("event of device '" + device + "' has no type");
        }
        if (timestamp <= 0) {
            throw new IllegalArgumentException("event " + type.id() + " of device '" + device
                    + "' has no timestamp: " + timestamp);
        }
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    /**
     * An event whose id is derived from its content (a name-based UUID), so the same device
     * message decoded twice yields the same id and is stored once.
     *
     * <p>Personal attributes (a card uid) are left out of the id: an unkeyed hash of a 4-byte uid
     * could be reversed by trying every uid. Device, type and millisecond already tell two taps apart.
     */
    public static DeviceEvent of(DeviceRef device, EventType type, long timestamp, Map<String, String> attributes) {
        StringBuilder key = new StringBuilder(device.toString()).append('|').append(type.id()).append('|').append(timestamp);
        new TreeMap<>(attributes).forEach((k, v) -> {
            if (!PersonalData.isPersonal(k)) {
                key.append('|').append(k).append('=').append(v);
            }
        });
        String id = UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return new DeviceEvent(id, device.school(), device.room(), device.device(), type, timestamp, attributes);
    }

    public DeviceRef deviceRef() {
        return new DeviceRef(school, room, device);
    }

    /** Attributes safe to log: personal data (card uids, learner ids) masked. */
    public Map<String, String> loggableAttributes() {
        Map<String, String> out = new TreeMap<>(attributes);
        out.replaceAll((k, v) -> PersonalData.isPersonal(k) ? "***" : v);
        return out;
    }
}

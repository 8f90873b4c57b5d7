package org.smartschool.bridge.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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
        StringBuilder key = new StringBuilder(128).append(device.school()).append('/').append(device.room()).append('/')
                .append(device.device()).append('|').append(type.id()).append('|').append(timestamp);
        if (!attributes.isEmpty()) {
            String[] names = attributes.keySet().toArray(new String[0]);
            Arrays.sort(names);
            for (String name : names) {
                if (!PersonalData.isPersonal(name)) {
                    key.append('|').append(name).append('=').append(attributes.get(name));
                }
            }
        }
        String id = nameBasedUuid(key.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return new DeviceEvent(id, device.school(), device.room(), device.device(), type, timestamp, attributes);
    }

    /**
     * An id derived from {@code id} and {@code distinguishing}: two events {@link #of} gave one id (two cards
     * tapped at one reader in one millisecond, their UIDs left out) told apart by a keyed hash of what differs.
     * Never pass personal data in the clear: the id is an unkeyed hash.
     */
    public static String derivedId(String id, String distinguishing) {
        return nameBasedUuid((id + '|' + distinguishing).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * {@link UUID#nameUUIDFromBytes}, bit for bit (ids already stored must not change), with the MD5 digest
     * kept per thread: looking it up for every event cost more than the rest of building one.
     */
    static UUID nameBasedUuid(byte[] name) {
        byte[] md5 = MD5.get().digest(name);
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x30); // version 3
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80); // IETF variant
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (md5[i] & 0xff);
            least = (least << 8) | (md5[i + 8] & 0xff);
        }
        return new UUID(most, least);
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new InternalError("MD5 not supported", e); // every Java platform must provide it
        }
    });

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

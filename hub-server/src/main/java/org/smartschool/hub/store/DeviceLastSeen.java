package org.smartschool.hub.store;

/**
 * When a device of a school was last heard from: the source time (UTC epoch ms) of its newest reading
 * or event in that room. A sub-device ({@code fridge-1.DS18B20-2}) is a device of its own.
 */
public record DeviceLastSeen(String school, String room, String device, long lastSeen) {
}

package org.smartschool.gateway.telemetry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each device was last heard from, for the health report: a device that went silent shows
 * as an old time. Bounded: topics come from devices, and a misconfigured one inventing a new
 * device id per message must not grow the map without end; past the capacity, the device heard
 * from longest ago is forgotten.
 */
public final class DevicesSeen {
    /** About 45 bytes per device in the report: 500 fit well inside the hub's 64 KiB health limit. */
    public static final int DEFAULT_CAPACITY = 500;

    private final int capacity;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

    public DevicesSeen(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    public void seen(String device, long atMillis) {
        lastSeen.merge(device, atMillis, Math::max);
        if (lastSeen.size() > capacity) {
            evictOldest();
        }
    }

    private synchronized void evictOldest() {
        while (lastSeen.size() > capacity) {
            String oldest = null;
            long oldestAt = Long.MAX_VALUE;
            for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
                if (e.getValue() < oldestAt) {
                    oldestAt = e.getValue();
                    oldest = e.getKey();
                }
            }
            if (oldest == null) {
                return;
            }
            lastSeen.remove(oldest);
        }
    }

    /** Device -> last seen (epoch ms), sorted by device. */
    public Map<String, Long> snapshot() {
        return new TreeMap<>(lastSeen);
    }
}

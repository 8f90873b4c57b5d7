package org.smartschool.hub.config;

/**
 * Two devices configured with one gateway id take each other's session over in a loop. After {@code limit}
 * take-overs of one gateway id within {@code windowSeconds}, a new connection of that id is refused with
 * CONNACK 0x9F (Connection rate exceeded) for {@code refuseSeconds} while the current one stays connected
 * (docs/protocol.md, "Session take-over").
 */
public record TakeoverConfig(int limit, int windowSeconds, int refuseSeconds) {
    public static final TakeoverConfig DEFAULT = new TakeoverConfig(5, 60, 300);

    public TakeoverConfig {
        if (limit < 1) {
            throw new IllegalArgumentException("mqtt.takeover.limit must be at least 1: " + limit);
        }
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("mqtt.takeover.windowSeconds must be at least 1: " + windowSeconds);
        }
        if (refuseSeconds < 1) {
            throw new IllegalArgumentException("mqtt.takeover.refuseSeconds must be at least 1: " + refuseSeconds);
        }
    }
}

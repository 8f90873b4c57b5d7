package org.smartschool.bridge.sim;

/**
 * How one kind of firmware says it is online or offline: the topic below the device's own topic
 * and the two payloads (its birth message, and its last will that the broker publishes when it
 * dies). Shared by every device of the kind; {@link #NONE} for firmware that publishes no status.
 */
final class Availability {
    /** No availability topic: the device publishes no birth message and has no last will. */
    static final Availability NONE = new Availability(null, null, null);

    private final String subtopic;
    private final byte[] online;
    private final byte[] offline;

    private Availability(String subtopic, byte[] online, byte[] offline) {
        this.subtopic = subtopic;
        this.online = online;
        this.offline = offline;
    }

    /** Availability on {@code <device topic>/<subtopic>}, with these text payloads. */
    static Availability on(String subtopic, String online, String offline) {
        return new Availability("/" + subtopic, Payloads.utf8(online), Payloads.utf8(offline));
    }

    boolean exists() {
        return subtopic != null;
    }

    /** The availability message of the device publishing under {@code deviceTopic}, or null for {@link #NONE}. */
    SimulatedMessage message(String deviceTopic, boolean isOnline, long at) {
        if (subtopic == null) {
            return null;
        }
        return new SimulatedMessage(deviceTopic + subtopic, isOnline ? online : offline, at);
    }
}

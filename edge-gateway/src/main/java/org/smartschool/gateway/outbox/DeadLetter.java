package org.smartschool.gateway.outbox;

import java.util.Objects;

/**
 * Something the gateway could not deliver and will not retry: a device message that could not be
 * routed or decoded, or a batch the hub refused. Kept so a technician can see what was lost and why.
 *
 * @param topic where it came from (device topic) or was going (uplink batch topic)
 * @param payload the bytes as received, or the refused records as JSON
 * @param reason one line: what was wrong
 * @param time UTC epoch milliseconds when it was dead-lettered
 */
public record DeadLetter(String topic, byte[] payload, String reason, long time) {
    public DeadLetter {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(reason, "reason");
    }
}

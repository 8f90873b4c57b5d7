package org.smartschool.bridge.sim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message a simulated device publishes: exactly the bytes the real firmware would send.
 *
 * @param timestamp UTC epoch milliseconds at which the device publishes it (simulated time)
 */
public record SimulatedMessage(String topic, byte[] payload, long timestamp) {

    public SimulatedMessage {
        Objects.requireNonNull(topic, "topic");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as UTF-8 text (every device simulated so far speaks text). */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulatedMessage m && m.timestamp == timestamp && m.topic.equals(topic)
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, timestamp) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return timestamp + " " + topic + " " + payloadText();
    }
}

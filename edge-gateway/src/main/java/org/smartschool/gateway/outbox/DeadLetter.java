package org.smartschool.gateway.outbox;

import java.util.Objects;

import org.smartschool.bridge.codec.RawMessage;

/**
 * A device frame the gateway could not route or decode, kept as it arrived (topic, content type,
 * payload bytes, receive time) so that it can be replayed through the intake once the cause is
 * fixed (a route added, a codec upgraded).
 *
 * @param id the row id in the outbox's {@code device_dead_letters} table; 0 before it is stored
 * @param topic the MQTT topic, CoAP path or port the frame came on
 * @param contentType the frame's content type where the transport carries one, else null
 * @param payload the bytes as received (cut to {@code south.maxPayloadBytes} for an oversized frame)
 * @param receivedAt UTC epoch milliseconds when the gateway received the frame
 * @param reason one line: what was wrong
 * @param time UTC epoch milliseconds when it was dead-lettered
 */
public record DeadLetter(long id, String topic, String contentType, byte[] payload, long receivedAt, String reason,
                         long time) {
    public DeadLetter {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(reason, "reason");
    }

    /** A frame as received, dead-lettered now. */
    public static DeadLetter of(RawMessage frame, byte[] keptPayload, String reason) {
        return new DeadLetter(0, frame.topic(), frame.contentType(), keptPayload, frame.receivedAt(), reason,
                System.currentTimeMillis());
    }

    /** A frame without a content type, received when it was dead-lettered. */
    public DeadLetter(String topic, byte[] payload, String reason, long time) {
        this(0, topic, null, payload, time, reason, time);
    }

    /** The frame as it arrived, for replaying through the intake. */
    public RawMessage frame() {
        return new RawMessage(topic, contentType, payload, receivedAt);
    }
}

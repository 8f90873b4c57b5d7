package org.smartschool.bridge.codec;

import java.util.Objects;

/**
 * What arrived from a device, before any decoding.
 *
 * @param topic the MQTT topic, CoAP path or serial port name the bytes came on
 * @param contentType the MIME type where the transport carries one (CoAP, MQTT 5), else null
 * @param payload the bytes as received; never modified by a codec
 * @param receivedAt UTC epoch milliseconds when the gateway received it; codecs use it when the
 *                   payload carries no time of its own
 */
public record RawMessage(String topic, String contentType, byte[] payload, long receivedAt) {
    public RawMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }
}

package org.smartschool.hub.endpoint;

import java.util.Optional;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.bridge.uplink.UplinkTopics;

/**
 * One PUBLISH from a gateway, parsed once: everything the processing chain needs, so that no step
 * goes back to the raw message.
 *
 * @param topic         the topic as received (may be hostile: print it with {@link #printableTopic()})
 * @param parsed        the topic's parts when it has the uplink shape {@code ss/v1/{school}/{gateway}/{kind}}
 * @param payload       the payload bytes
 * @param receivedAt    epoch millis of arrival
 * @param receivedNanos {@link System#nanoTime()} of arrival, for the PUBACK latency
 */
record PublishContext(GatewayConnection connection, int messageId, MqttQoS qos, String topic,
                      Optional<UplinkTopics.Parsed> parsed, byte[] payload, long receivedAt, long receivedNanos) {

    static PublishContext of(GatewayConnection connection, MqttPublishMessage message, long receivedAt,
                             long receivedNanos) {
        return new PublishContext(connection, message.messageId(), message.qosLevel(), message.topicName(),
                UplinkTopics.parse(message.topicName()), message.payload().getBytes(), receivedAt, receivedNanos);
    }

    /** {@code batch}, {@code health}... or empty when the topic is not an uplink topic. */
    Optional<String> kind() {
        return parsed.map(UplinkTopics.Parsed::kind);
    }

    boolean needsAck() {
        return qos == MqttQoS.AT_LEAST_ONCE;
    }

    String printableTopic() {
        return SafeText.clean(topic, 120);
    }

    @Override
    public String toString() {
        return connection + " [message: " + messageId + "] [topic: " + printableTopic() + "]";
    }
}

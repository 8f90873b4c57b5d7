package org.smartschool.hub.endpoint;

import java.util.Optional;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.smartschool.bridge.uplink.UplinkTopics;

/**
 * One PUBLISH from a gateway, parsed once: everything the processing chain needs, so that no step
 * goes back to the raw message.
 *
 * @param topic   the topic as received (may be hostile: print it with {@link #printableTopic()})
 * @param parsed  the topic's parts when it has the uplink shape {@code ss/v1/{school}/{gateway}/{kind}}
 * @param payload the payload bytes
 * @param contentType the MQTT 5 content type, or null when the gateway set none
 */
record PublishContext(GatewayConnection connection, int messageId, MqttQoS qos, String topic,
                      Optional<UplinkTopics.Parsed> parsed, byte[] payload, String contentType, long receivedAt) {

    static PublishContext of(GatewayConnection connection, MqttPublishMessage message, long receivedAt) {
        MqttProperties.MqttProperty<?> type = message.properties()
                .getProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value());
        return new PublishContext(connection, message.messageId(), message.qosLevel(), message.topicName(),
                UplinkTopics.parse(message.topicName()), message.payload().getBytes(),
                type == null ? null : String.valueOf(type.value()), receivedAt);
    }

    /** {@code batch}, {@code health}... or empty when the topic is not an uplink topic. */
    Optional<String> kind() {
        return parsed.map(UplinkTopics.Parsed::kind);
    }

    boolean needsAck() {
        return qos == MqttQoS.AT_LEAST_ONCE;
    }

    String printableTopic() {
        String cut = topic.length() > 120 ? topic.substring(0, 120) + "..." : topic;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String toString() {
        return connection + " [message: " + messageId + "] [topic: " + printableTopic() + "]";
    }
}

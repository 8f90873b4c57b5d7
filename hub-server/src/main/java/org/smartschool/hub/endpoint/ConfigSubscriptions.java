package org.smartschool.hub.endpoint;

import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.hub.desired.DesiredConfigSource;

/**
 * SUBSCRIBE and UNSUBSCRIBE of a gateway (docs/protocol.md, "Desired configuration"): a gateway may subscribe to
 * its own config topic only, and gets its desired configuration (QoS 1) when it does. Runs on the endpoint's
 * event loop.
 */
final class ConfigSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEndpoint.class);

    private ConfigSubscriptions() {
    }

    static void onSubscribe(GatewayConnection connection, MqttSubscribeMessage subscribe, DesiredConfigSource desired,
                            long maxPacketBytes, TooLarge tooLarge) {
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        boolean wantsConfig = false;
        for (MqttTopicSubscription subscription : subscribe.topicSubscriptions()) {
            if (subscription.topicName().equals(connection.configTopic())) {
                codes.add(subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE
                        ? MqttSubAckReasonCode.GRANTED_QOS0 : MqttSubAckReasonCode.GRANTED_QOS1);
                wantsConfig = true;
            } else {
                codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
                LOG.info("{} may not subscribe to '{}': only {}", connection,
                        SafeText.clean(subscription.topicName(), 120), connection.configTopic());
            }
        }
        connection.endpoint().subscribeAcknowledge(subscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
        if (wantsConfig) {
            connection.subscribedToConfig(true);
            publishDesiredConfig(connection, desired, maxPacketBytes, tooLarge);
        }
    }

    static void onUnsubscribe(GatewayConnection connection, MqttUnsubscribeMessage unsubscribe) {
        List<MqttUnsubAckReasonCode> codes = unsubscribe.topics().stream()
                .map(t -> t.equals(connection.configTopic()) ? MqttUnsubAckReasonCode.SUCCESS
                        : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED)
                .toList();
        if (unsubscribe.topics().contains(connection.configTopic())) {
            connection.subscribedToConfig(false);
        }
        connection.endpoint().unsubscribeAcknowledge(unsubscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
    }

    /**
     * Sends the gateway its desired configuration as {@code desired} has it now (on subscribing, and when it changed),
     * unless its packet would exceed {@code maxPacketBytes}: the gateway would drop the connection on reading it,
     * reconnect, subscribe and get it again, without end (seen with the roster of a school of 45,000 learners). Such a
     * configuration is not sent and {@code tooLarge} is told; the gateway keeps the configuration it has.
     */
    static void publishDesiredConfig(GatewayConnection connection, DesiredConfigSource desired, long maxPacketBytes,
                                     TooLarge tooLarge) {
        Buffer payload = new JsonObject(desired.desiredConfig(connection.gateway())).toBuffer();
        long packet = packetBytes(connection.configTopic(), payload.length());
        if (packet > maxPacketBytes) {
            tooLarge.refused(connection, packet, maxPacketBytes);
            return;
        }
        connection.endpoint()
                .publish(connection.configTopic(), payload, MqttQoS.AT_LEAST_ONCE, false, false)
                .onFailure(e -> LOG.warn("{} cannot send its desired configuration: {}", connection, e.toString()));
    }

    /**
     * The size of a QoS 1 PUBLISH without properties: fixed header (1 byte and a remaining length of up to 4),
     * topic (2 + its UTF-8 bytes), packet id (2), property length (1), payload.
     */
    static long packetBytes(String topic, int payloadBytes) {
        long remaining = 2L + topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2 + 1 + payloadBytes;
        int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + remaining;
    }

    /** Told of a desired configuration too large to send. */
    interface TooLarge {
        void refused(GatewayConnection connection, long packetBytes, long maxPacketBytes);
    }
}

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

    static void onSubscribe(GatewayConnection connection, MqttSubscribeMessage subscribe, DesiredConfigSource desired) {
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
            publishDesiredConfig(connection, desired);
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

    /** Sends the gateway its desired configuration as {@code desired} has it now (on subscribing, and when it changed). */
    static void publishDesiredConfig(GatewayConnection connection, DesiredConfigSource desired) {
        Buffer payload = new JsonObject(desired.desiredConfig(connection.gateway())).toBuffer();
        connection.endpoint()
                .publish(connection.configTopic(), payload, MqttQoS.AT_LEAST_ONCE, false, false)
                .onFailure(e -> LOG.warn("{} cannot send its desired configuration: {}", connection, e.toString()));
    }
}

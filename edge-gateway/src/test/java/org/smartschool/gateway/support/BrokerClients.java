package org.smartschool.gateway.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Real MQTT clients playing the devices (3.1.1) and the hub's side (5) in tests. */
public final class BrokerClients {
    private BrokerClients() {
    }

    /** Publishes like a device would (MQTT 3.1.1) and waits for the broker's acknowledgement. */
    public static void publish(String url, String topic, String payload, int qos) throws MqttException {
        publish(url, topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    public static void publish(String url, String topic, byte[] payload, int qos, boolean retained) throws MqttException {
        try (Publisher publisher = new Publisher(url)) {
            publisher.publish(topic, payload, qos, retained);
        }
    }

    /** A device-like MQTT 3.1.1 connection for publishing many messages. */
    public static final class Publisher implements AutoCloseable {
        private final MqttClient client;

        public Publisher(String url) throws MqttException {
            client = new MqttClient(url, "test-pub-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            // Paho frees an in-flight slot just after the publish returns: back-to-back publishes need room
            options.setMaxInflight(1000);
            client.connect(options);
        }

        /** Returns once the broker acknowledged (QoS 1) or took (QoS 0) the message. */
        public void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
            client.publish(topic, payload, qos, retained);
        }

        @Override
        public void close() throws MqttException {
            try {
                client.disconnect(0);
            } finally {
                client.close();
            }
        }
    }

    /** Drops a persistent session the broker keeps for {@code clientId}, so test runs leave nothing behind. */
    public static void forgetSession(String url, String clientId) {
        try {
            MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.disconnect();
            client.close();
        } catch (MqttException e) {
            // best effort
        }
    }

    /** One message received by a {@link Subscriber}. */
    public record Received(String topic, byte[] payload, String contentType) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** An MQTT 5 subscriber that keeps every message it receives. */
    public static final class Subscriber implements AutoCloseable {
        private final MqttAsyncClient client;
        private final List<Received> received = new CopyOnWriteArrayList<>();

        public Subscriber(String url, String filter) throws Exception {
            client = new MqttAsyncClient(url, "test-sub-" + UUID.randomUUID(),
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                }

                @Override
                public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    MqttProperties properties = message.getProperties();
                    received.add(new Received(topic, message.getPayload(),
                            properties == null ? null : properties.getContentType()));
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion(10_000);
            client.subscribe(filter, 1).waitForCompletion(10_000);
        }

        public List<Received> received() {
            return List.copyOf(received);
        }

        @Override
        public void close() throws org.eclipse.paho.mqttv5.common.MqttException {
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }
}

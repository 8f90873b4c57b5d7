package org.smartschool.hub.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;

/** A gateway's uplink as the real gateway does it: a Paho MQTT 5 client. */
public final class TestGateway implements AutoCloseable {
    public static final long WAIT_MS = 10_000;

    private final MqttAsyncClient client;
    private final String school;
    private final String gatewayId;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Integer disconnectReason;
    private volatile String disconnectReasonString;
    private volatile MqttProperties connack;

    /** What the hub answered to a PUBLISH. */
    public record Ack(int reasonCode, String reasonString) {
    }

    public record Received(String topic, String payload, int qos) {
    }

    private TestGateway(MqttAsyncClient client, String school, String gatewayId) {
        this.client = client;
        this.school = school;
        this.gatewayId = gatewayId;
    }

    /** Connects as the protocol says: client id = user name = gateway id, password = secret. */
    public static TestGateway connect(int port, String school, String gatewayId, String secret) throws MqttException {
        return connect(port, school, gatewayId, gatewayId, secret);
    }

    public static TestGateway connect(int port, String school, String clientId, String userName, String secret)
            throws MqttException {
        return connect("tcp://127.0.0.1:" + port, null, school, clientId, userName, secret);
    }

    /**
     * @param serverUri     {@code tcp://...} or {@code ssl://...}
     * @param socketFactory for {@code ssl://}: trusts the hub's certificate; null for the JVM's default
     */
    public static TestGateway connect(String serverUri, javax.net.SocketFactory socketFactory, String school,
                                      String clientId, String userName, String secret) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        TestGateway gateway = new TestGateway(client, school, userName);
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
                gateway.disconnectReasonString = response.getReasonString();
                gateway.disconnectReason = response.getReturnCode();
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                gateway.received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                        message.getQos()));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(userName);
        options.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setKeepAliveInterval(30);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(WAIT_MS);
            gateway.connack = token.getResponse() == null ? null : token.getResponse().getProperties();
        } catch (MqttException e) {
            closeQuietly(client);
            throw e;
        }
        return gateway;
    }

    /** Sends a batch the way the gateway does and waits for the PUBACK. */
    public Ack sendBatch(Batch batch) throws MqttException {
        return publish(UplinkTopics.batch(school, gatewayId), new BatchCodec().encode(batch), 1, BatchCodec.CONTENT_TYPE);
    }

    /** Publishes anything anywhere; for QoS 1 waits for the PUBACK. */
    public Ack publish(String topic, byte[] payload, int qos, String contentType) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        if (contentType != null) {
            MqttProperties properties = new MqttProperties();
            properties.setContentType(contentType);
            message.setProperties(properties);
        }
        IMqttToken token;
        try {
            token = client.publish(topic, message);
            token.waitForCompletion(WAIT_MS);
        } catch (MqttException e) {
            // Paho reports a PUBACK error code as an exception carrying that code
            if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xA2) {
                return new Ack(e.getReasonCode(), null);
            }
            throw e;
        }
        return ack(token);
    }

    private static Ack ack(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        int code = codes == null || codes.length == 0 ? 0 : codes[0];
        MqttWireMessage response = token.getResponse();
        String reason = response == null || response.getProperties() == null ? null
                : response.getProperties().getReasonString();
        return new Ack(code, reason);
    }

    /** Subscribes and returns the granted reason codes. */
    public int[] subscribe(String filter, int qos) throws MqttException {
        IMqttToken token = client.subscribe(filter, qos);
        token.waitForCompletion(WAIT_MS);
        return token.getReasonCodes();
    }

    /** The reason code of the DISCONNECT the hub sent, or null while none arrived. */
    public Integer disconnectReason() {
        return disconnectReason;
    }

    public String disconnectReasonString() {
        return disconnectReasonString;
    }

    /** The properties of the hub's CONNACK. */
    public MqttProperties connack() {
        return connack;
    }

    /** Publishes without waiting for the PUBACK. */
    public IMqttToken publishAsync(Batch batch) throws MqttException {
        MqttMessage message = new MqttMessage(new BatchCodec().encode(batch));
        message.setQos(1);
        return client.publish(UplinkTopics.batch(school, gatewayId), message);
    }

    public List<Received> received() {
        return received;
    }

    /** The {@code n}-th message received (1-based), once it is there. */
    public Received awaitReceived(int n, java.time.Duration within) throws Exception {
        Poll.until(within, "message #" + n + " to " + gatewayId, () -> received.size() >= n);
        return received.get(n - 1);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public MqttAsyncClient client() {
        return client;
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
        } catch (MqttException ignored) {
            // the test is over with this client
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // idem
        }
    }
}

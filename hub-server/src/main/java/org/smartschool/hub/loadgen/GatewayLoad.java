package org.smartschool.hub.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;

/**
 * One simulated gateway: a Paho MQTT 5 client logged in as the gateway (docs/protocol.md, "CONNECT")
 * that publishes its prepared batches at QoS 1 with a bounded window of unacknowledged batches: at most
 * {@code --in-flight}, and never more than the Receive Maximum the hub announced in CONNACK.
 */
final class GatewayLoad implements AutoCloseable {
    /** MQTT 5: a CONNACK without Receive Maximum means 65,535. */
    static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final Map<Integer, String> CONNACK_NAMES = Map.of(
            0x80, "Unspecified error",
            0x84, "Unsupported Protocol Version",
            0x85, "Client Identifier not valid",
            0x86, "Bad User Name or Password",
            0x87, "Not authorized",
            0x88, "Server unavailable",
            0x89, "Server busy",
            0x8A, "Banned",
            0x97, "Quota exceeded",
            0x9F, "Connection rate exceeded");

    private final GatewayCredential gateway;
    private final MqttAsyncClient client;
    private final LoadStats stats;
    private final String topic;
    private final int window;
    private final int receiveMaximum;
    private volatile String lost;
    private volatile boolean closing;

    private GatewayLoad(GatewayCredential gateway, MqttAsyncClient client, LoadStats stats, int inFlight,
                        int receiveMaximum) {
        this.gateway = gateway;
        this.client = client;
        this.stats = stats;
        this.topic = UplinkTopics.batch(gateway.school(), gateway.id());
        this.receiveMaximum = receiveMaximum;
        this.window = Math.max(1, Math.min(inFlight, receiveMaximum));
    }

    /** Thrown when the hub does not let a gateway in; the message is one line for the user. */
    static final class ConnectFailedException extends Exception {
        ConnectFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Connects as the gateway and waits for CONNACK.
     *
     * @throws ConnectFailedException naming the gateway, the hub and the reason (e.g. 0x86 Bad User Name or Password)
     */
    static GatewayLoad connect(String hubUrl, GatewayCredential gateway, int inFlight, LoadStats stats,
                               Duration timeout) throws ConnectFailedException {
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(hubUrl, gateway.id(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new ConnectFailedException("bad hub address " + hubUrl + ": " + e.getMessage(), e);
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(gateway.id());
        options.setPassword(gateway.secret().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        options.setAutomaticReconnect(false);
        GatewayLoad[] self = new GatewayLoad[1];
        client.setCallback(new LossCallback(() -> self[0]));
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(timeout.toMillis());
            MqttProperties connack = token.getResponseProperties();
            Integer receiveMaximum = connack == null ? null : connack.getReceiveMaximum();
            self[0] = new GatewayLoad(gateway, client, stats, inFlight,
                    receiveMaximum == null ? DEFAULT_RECEIVE_MAXIMUM : receiveMaximum);
            return self[0];
        } catch (MqttException e) {
            closeQuietly(client);
            throw new ConnectFailedException("gateway " + gateway.id() + " cannot connect to " + hubUrl + ": "
                    + describeConnectFailure(e), e);
        }
    }

    static String describeConnectFailure(MqttException e) {
        int code = e.getReasonCode();
        if (CONNACK_NAMES.containsKey(code)) {
            String text = String.format("CONNACK 0x%02X %s", code, CONNACK_NAMES.get(code));
            return code == 0x86 ? text + " (is the gateway in the hub's gateways: with this secret?"
                    + " 'loadgen --print-config' prints the lines for hub.yaml)" : text;
        }
        Throwable cause = e.getCause();
        return SafeText.clean(e.getMessage() + (cause == null ? "" : " (" + cause + ")"), 300);
    }

    /** The number of batches this gateway keeps unacknowledged at most. */
    int window() {
        return window;
    }

    int receiveMaximum() {
        return receiveMaximum;
    }

    String gatewayId() {
        return gateway.id();
    }

    /**
     * Publishes {@code batches} in order, keeping at most {@link #window()} unacknowledged, and returns once
     * every one is answered (or after {@code ackTimeout} without an answer, counted as errors). Stops early
     * when the connection is lost; the batches not sent are counted as one error.
     */
    void send(List<PreparedBatch> batches, Pacer pacer, Duration ackTimeout) throws InterruptedException {
        Semaphore permits = new Semaphore(window);
        for (int i = 0; i < batches.size(); i++) {
            if (!permits.tryAcquire(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stats.error("[gateway: " + gateway.id() + "] no PUBACK within " + ackTimeout.toSeconds()
                        + " s for " + window + " batches in flight; " + (batches.size() - i) + " batches not sent");
                return;
            }
            if (lost != null) {
                permits.release();
                stats.error("[gateway: " + gateway.id() + "] connection lost (" + lost + "); "
                        + (batches.size() - i) + " batches not sent");
                break;
            }
            pacer.awaitTurn(batches.get(i).readings());
            publish(batches.get(i), permits);
        }
        if (!permits.tryAcquire(window, ackTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stats.error("[gateway: " + gateway.id() + "] " + (window - permits.availablePermits())
                    + " batches got no PUBACK within " + ackTimeout.toSeconds() + " s");
        }
    }

    private void publish(PreparedBatch batch, Semaphore permits) {
        MqttMessage message = new MqttMessage(batch.frame());
        message.setQos(1);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(BatchCodec.CONTENT_TYPE);
        message.setProperties(properties);
        long sentAt = System.nanoTime();
        stats.sent();
        try {
            client.publish(topic, message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    int code = codes == null || codes.length == 0 ? 0 : codes[0];
                    if (code >= 0x80) {
                        stats.refused(code, reasonString(token));
                    } else {
                        stats.acked(batch, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentAt));
                    }
                    permits.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    // Paho reports a PUBACK reason code of 0x80 or more as an MqttException carrying it
                    if (e instanceof MqttException m && m.getReasonCode() >= 0x80 && m.getReasonCode() <= 0xFF) {
                        stats.refused(m.getReasonCode(), reasonString(token));
                    } else {
                        stats.failed("[gateway: " + gateway.id() + "] [batch: " + batch.batchId() + "] no PUBACK: "
                                + SafeText.clean(String.valueOf(e.getMessage()), 200));
                    }
                    permits.release();
                }
            });
        } catch (MqttException | RuntimeException e) {
            stats.failed("[gateway: " + gateway.id() + "] [batch: " + batch.batchId() + "] not sent: "
                    + SafeText.clean(String.valueOf(e.getMessage()), 200));
            permits.release();
            if (!client.isConnected() && lost == null) {
                lost = "not connected";
            }
        }
    }

    private static String reasonString(IMqttToken token) {
        MqttProperties response = token == null ? null : token.getResponseProperties();
        return response == null ? null : response.getReasonString();
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            // the run is over; a failed DISCONNECT changes nothing
        }
        closeQuietly(client);
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException e) {
            // idem
        }
    }

    /** Notes a lost connection so that the sender stops; Paho fails the tokens in flight itself. */
    private record LossCallback(java.util.function.Supplier<GatewayLoad> load) implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            GatewayLoad self = load.get();
            if (self != null && !self.closing) {
                String why = response == null ? "unknown cause"
                        : response.getException() != null ? String.valueOf(response.getException().getMessage())
                        : String.format("DISCONNECT 0x%02X %s", response.getReturnCode(),
                                response.getReasonString() == null ? "" : response.getReasonString());
                self.lost = SafeText.clean(why, 200);
                self.stats.error("[gateway: " + self.gateway.id() + "] disconnected by the hub or the network: "
                        + self.lost);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // loadgen does not subscribe to its config topic
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
    }
}

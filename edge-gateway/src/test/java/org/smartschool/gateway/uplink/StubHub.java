package org.smartschool.gateway.uplink;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;

/**
 * A real MQTT 5 server (vertx-mqtt) standing in for the hub: it records what the gateway sends
 * and answers each PUBLISH with the next scripted PUBACK reason code (success when none is left).
 */
final class StubHub implements AutoCloseable {
    /** What the gateway sent in its CONNECT. */
    record Connect(String clientId, String username, String password, int protocolVersion, boolean cleanStart,
                   int keepAliveSeconds, String willTopic, byte[] willPayload, int willQos, boolean willRetain) {
    }

    /**
     * One PUBLISH from the gateway.
     *
     * @param connection which connection it came on: 0 for the first the stub accepted, 1 for the next ...
     */
    record Published(String topic, byte[] payload, String contentType, int qos, int connection) {
    }

    private record Answer(MqttPubAckReasonCode code, String reasonString) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final MqttServer server;
    private final List<Connect> connects = new CopyOnWriteArrayList<>();
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> subscriptions = new CopyOnWriteArrayList<>();
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final BatchCodec codec = new BatchCodec();
    private volatile int maxRecords = Integer.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicInteger acksToHold = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> closedConnections = new CopyOnWriteArrayList<>();

    StubHub() throws Exception {
        server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
        server.endpointHandler(this::serve);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
        return "tcp://127.0.0.1:" + server.actualPort();
    }

    /** The next PUBLISH is answered with this reason code and reason string. */
    StubHub thenAnswer(MqttPubAckReasonCode code, String reasonString) {
        script.add(new Answer(code, reasonString));
        return this;
    }

    /**
     * Answers a batch of more than {@code records} readings plus events with 0x97, as the hub does
     * for a frame over one of its size limits (docs/protocol.md 4.8); stores nothing of it.
     */
    StubHub refuseLargerThan(int records) {
        maxRecords = records;
        return this;
    }

    /**
     * The next {@code count} QoS 1 PUBLISHes get no PUBACK at all (a hub too slow to answer): the
     * gateway's ack timeout runs out.
     */
    StubHub holdAcks(int count) {
        acksToHold.set(count);
        return this;
    }

    /** The connections that ended so far, by number ({@link Published#connection()}), in the order they ended. */
    List<String> closedConnections() {
        return List.copyOf(closedConnections);
    }

    List<Connect> connects() {
        return List.copyOf(connects);
    }

    List<Published> published() {
        return List.copyOf(published);
    }

    List<String> subscriptions() {
        return List.copyOf(subscriptions);
    }

    private void serve(MqttEndpoint endpoint) {
        int connection;
        synchronized (connects) {
            connection = connects.size();
        }
        endpoint.closeHandler(v -> closedConnections.add(String.valueOf(connection)));
        connects.add(new Connect(endpoint.clientIdentifier(),
                endpoint.auth() == null ? null : endpoint.auth().getUsername(),
                endpoint.auth() == null ? null : endpoint.auth().getPassword(),
                endpoint.protocolVersion(), endpoint.isCleanSession(), endpoint.keepAliveTimeSeconds(),
                endpoint.will() != null && endpoint.will().isWillFlag() ? endpoint.will().getWillTopic() : null,
                endpoint.will() != null && endpoint.will().isWillFlag() ? endpoint.will().getWillMessageBytes() : null,
                endpoint.will() == null ? -1 : endpoint.will().getWillQos(),
                endpoint.will() != null && endpoint.will().isWillRetain()));
        endpoint.publishAutoAck(false);
        endpoint.subscribeHandler(subscribe -> {
            subscribe.topicSubscriptions().forEach(s -> subscriptions.add(s.topicName()));
            endpoint.subscribeAcknowledge(subscribe.messageId(),
                    subscribe.topicSubscriptions().stream().map(s -> s.qualityOfService()).toList());
        });
        endpoint.publishHandler(message -> {
            MqttProperties.MqttProperty<?> contentType =
                    message.properties().getProperty(MqttProperties.CONTENT_TYPE);
            published.add(new Published(message.topicName(), message.payload().getBytes(),
                    contentType == null ? null : (String) contentType.value(), message.qosLevel().value(), connection));
            if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE
                    && acksToHold.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                Answer answer = tooLarge(message.payload().getBytes());
                answer = answer != null ? answer : script.poll();
                MqttProperties properties = new MqttProperties();
                if (answer != null && answer.reasonString() != null) {
                    properties.add(new MqttProperties.StringProperty(
                            MqttProperties.REASON_STRING, answer.reasonString()));
                }
                endpoint.publishAcknowledge(message.messageId(),
                        answer == null ? MqttPubAckReasonCode.SUCCESS : answer.code(), properties);
            }
        });
        endpoint.accept(false);
    }

    private Answer tooLarge(byte[] frame) {
        if (maxRecords == Integer.MAX_VALUE) {
            return null;
        }
        try {
            Batch batch = codec.decode(frame);
            int records = batch.readings().size() + batch.events().size();
            return records > maxRecords ? new Answer(MqttPubAckReasonCode.QUOTA_EXCEEDED,
                    "batch of " + records + " records exceeds MAX_RECORDS (" + maxRecords + ")") : null;
        } catch (Exception e) {
            return new Answer(MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stub hub did not stop", e);
        }
    }
}

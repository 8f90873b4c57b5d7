package org.smartschool.gateway.uplink;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;

/**
 * A real MQTT 5 server (vertx-mqtt) standing in for the hub: it records what the gateway sends
 * and answers each PUBLISH with the next scripted PUBACK reason code (success when none is left).
 *
 * <p>Like the hub, it stores a batch it answers with success before the PUBACK (by batch id: a
 * batch id seen before is a replay, counted and not stored again), and it can hold PUBACKs back
 * and release them in any order (a hub that stores batches concurrently). It watches the rules of
 * the uplink's window: how many batches were outstanding on one connection at most, and whether a
 * batch id was published again on a connection while its first send was still outstanding.
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
     * @param outstandingOnArrival QoS 1 batches without their PUBACK on that connection with this one
     */
    record Published(String topic, byte[] payload, String contentType, int qos, int connection,
                     int outstandingOnArrival) {
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
    private volatile Integer receiveMaximum;
    private volatile boolean holding;
    private final List<Held> held = new CopyOnWriteArrayList<>();
    private final Set<String> tooLargeIds = ConcurrentHashMap.newKeySet();
    private final Map<String, Batch> stored = new ConcurrentHashMap<>();
    private final List<Reading> storedReadings = new CopyOnWriteArrayList<>();
    private final AtomicInteger replays = new AtomicInteger();
    /** Batch ids without their PUBACK yet, by connection. */
    private final Map<Integer, Set<String>> outstanding = new ConcurrentHashMap<>();
    private final AtomicInteger maxOutstanding = new AtomicInteger();
    private final List<String> sentTwiceWhileOutstanding = new CopyOnWriteArrayList<>();
    private final Map<MqttEndpoint, Context> endpoints = new ConcurrentHashMap<>();

    /** A PUBACK held back until the test releases it. */
    record Held(String batchId, int connection, Runnable release) {
    }

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

    /** The CONNACK carries this Receive Maximum (as the hub's {@code mqtt.receiveMaximum}). */
    StubHub receiveMaximum(int value) {
        receiveMaximum = value;
        return this;
    }

    /**
     * From now on every PUBACK is held back (the batch is stored, as the hub commits before it
     * answers) until {@link #release} sends it; {@code false} sends those held, in order, and
     * answers the next ones at once again.
     */
    StubHub holdAll(boolean hold) {
        List<Held> toRelease;
        synchronized (held) {
            holding = hold;
            toRelease = hold ? List.of() : List.copyOf(held);
            held.clear();
        }
        toRelease.forEach(h -> h.release().run());
        return this;
    }

    /** The PUBACKs held back, in the order their PUBLISHes came. */
    List<Held> held() {
        return List.copyOf(held);
    }

    /** Sends the held PUBACK of this batch id (the oldest, if held twice). */
    void release(String batchId) {
        for (Held h : held) {
            boolean removed;
            synchronized (held) {
                removed = h.batchId().equals(batchId) && held.remove(h);
            }
            if (removed) {
                h.release().run();
                return;
            }
        }
        throw new AssertionError("no PUBACK held for " + batchId + "; held: " + held);
    }

    /** This batch id gets 0x97 (too large), as a frame over the hub's byte limits would; stores nothing of it. */
    StubHub refuseAsTooLarge(String batchId) {
        tooLargeIds.add(batchId);
        return this;
    }

    /** Closes every open connection from the hub's side (a hub that restarts, a link cut in the middle). */
    void closeConnections() {
        synchronized (held) {
            held.clear(); // their PUBACKs are lost with the connections
        }
        endpoints.forEach((endpoint, context) -> {
            endpoints.remove(endpoint);
            context.runOnContext(v -> endpoint.close());
        });
    }

    /** Batches stored, by batch id (a replay is not stored again). */
    Map<String, Batch> stored() {
        return Map.copyOf(stored);
    }

    /** The readings of the stored batches, in the order they were stored, each batch id once. */
    List<Reading> storedReadings() {
        return List.copyOf(storedReadings);
    }

    /** Batches that came again with an id already stored (the hub's replay detection). */
    int replays() {
        return replays.get();
    }

    /** Batch ids without their PUBACK on the given connection now. */
    Set<String> outstanding(int connection) {
        return Set.copyOf(outstanding.getOrDefault(connection, Set.of()));
    }

    /** The most batches ever outstanding on one connection at once. */
    int maxOutstanding() {
        return maxOutstanding.get();
    }

    /** Batch ids published again on a connection while their first send there was still outstanding (must stay empty). */
    List<String> sentTwiceWhileOutstanding() {
        return List.copyOf(sentTwiceWhileOutstanding);
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
        Context context = Vertx.currentContext();
        endpoints.put(endpoint, context);
        endpoint.closeHandler(v -> {
            endpoints.remove(endpoint);
            closedConnections.add(String.valueOf(connection));
        });
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
            String type = contentType == null ? null : (String) contentType.value();
            if (message.qosLevel() != MqttQoS.AT_LEAST_ONCE) {
                published.add(new Published(message.topicName(), message.payload().getBytes(), type,
                        message.qosLevel().value(), connection, 0));
                return;
            }
            Batch batch = decodeOrNull(message.payload().getBytes());
            String batchId = batch == null ? "undecodable-" + message.messageId() : batch.batchId();
            Set<String> open = outstanding.computeIfAbsent(connection, c -> ConcurrentHashMap.newKeySet());
            if (!open.add(batchId)) {
                sentTwiceWhileOutstanding.add(batchId + " on connection " + connection);
            }
            maxOutstanding.accumulateAndGet(open.size(), Math::max);
            published.add(new Published(message.topicName(), message.payload().getBytes(), type,
                    message.qosLevel().value(), connection, open.size()));
            if (acksToHold.getAndUpdate(n -> Math.max(0, n - 1)) != 0) {
                return; // never answered: stays outstanding on this connection
            }
            Answer answer = tooLarge(message.payload().getBytes());
            if (answer == null && batch != null && tooLargeIds.contains(batchId)) {
                answer = new Answer(MqttPubAckReasonCode.QUOTA_EXCEEDED, "batch " + batchId + " is too large");
            }
            answer = answer != null ? answer : script.poll();
            if ((answer == null || answer.code() == MqttPubAckReasonCode.SUCCESS) && batch != null) {
                store(batch);
            }
            MqttProperties properties = new MqttProperties();
            if (answer != null && answer.reasonString() != null) {
                properties.add(new MqttProperties.StringProperty(
                        MqttProperties.REASON_STRING, answer.reasonString()));
            }
            MqttPubAckReasonCode code = answer == null ? MqttPubAckReasonCode.SUCCESS : answer.code();
            int messageId = message.messageId();
            Runnable acknowledge = () -> {
                open.remove(batchId);
                endpoint.publishAcknowledge(messageId, code, properties);
            };
            synchronized (held) {
                if (holding) {
                    held.add(new Held(batchId, connection, () -> context.runOnContext(v -> acknowledge.run())));
                    return;
                }
            }
            acknowledge.run();
        });
        if (receiveMaximum != null) {
            MqttProperties connack = new MqttProperties();
            connack.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, receiveMaximum));
            endpoint.accept(false, connack);
        } else {
            endpoint.accept(false);
        }
    }

    private synchronized void store(Batch batch) {
        if (stored.putIfAbsent(batch.batchId(), batch) == null) {
            storedReadings.addAll(batch.readings());
        } else {
            replays.incrementAndGet();
        }
    }

    private Batch decodeOrNull(byte[] frame) {
        try {
            return codec.decode(frame);
        } catch (Exception e) {
            return null;
        }
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

package org.smartschool.hub.endpoint;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.BatchFormatException;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.metrics.HubMetrics.RejectReason;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.ReadingStore;

/**
 * The MQTT 5 endpoint gateways connect to (docs/protocol.md). The hub is not a broker: it terminates
 * each gateway's connection, stores what it sends and answers each batch with one PUBACK, sent only
 * after the store committed the batch.
 *
 * <p>Each PUBLISH is parsed once into a {@link PublishContext}, then runs one Future chain
 * ({@code authorize -> check size -> decode -> check origin -> store}); refusals are
 * {@link PublishRefusedException}s turned into a PUBACK reason code in {@link #finish}. Decoding and
 * storing run on the store's worker pool, never on the event loop.
 *
 * <p>All connection state lives in {@link GatewayConnection} objects owned by this verticle's event loop.
 */
public final class GatewayEndpoint extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayEndpoint.class);
    /** Health reports are small; anything larger is not one. */
    private static final int MAX_HEALTH_BYTES = 64 * 1024;
    private static final int MQTT_MAX_PACKET = 268_435_455;

    private final MqttConfig config;
    private final GatewayAuthenticator authenticator;
    private final ReadingStore store;
    private final WorkerExecutor worker;
    private final HubMetrics metrics;
    private final BatchCodec codec;
    private final Clock clock;
    private final RateLimitedLog rateLimited;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Function<PublishContext, Future<Void>>> handlers = Map.of(
            UplinkTopics.BATCH, this::handleBatch,
            UplinkTopics.HEALTH, this::handleHealth);
    private final Map<String, GatewayConnection> connections = new HashMap<>();

    private MqttServer server;
    private volatile int actualPort = -1;

    /**
     * @param worker runs decoding and the store's blocking calls
     */
    public GatewayEndpoint(MqttConfig config, List<GatewayConfig> gateways, ReadingStore store, WorkerExecutor worker,
                           HubMetrics metrics, BatchCodec codec, Clock clock) {
        this.config = config;
        this.authenticator = new GatewayAuthenticator(gateways);
        this.store = store;
        this.worker = worker;
        this.metrics = metrics;
        this.codec = codec;
        this.clock = clock;
        this.rateLimited = new RateLimitedLog(clock, Duration.ofSeconds(30));
    }

    @Override
    public Future<?> start() {
        MqttServerOptions options = new MqttServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxMessageSize(transportLimit())
                .setTimeoutOnConnect(10);
        server = MqttServer.create(vertx, options)
                .endpointHandler(this::onConnect)
                .exceptionHandler(e -> rateLimited.log("server", "MQTT server error: " + e,
                        (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed)));
        return server.listen().onSuccess(s -> {
            actualPort = s.actualPort();
            LOG.info("gateway endpoint listening on {}:{}", config.host(), actualPort);
        });
    }

    @Override
    public Future<?> stop() {
        for (GatewayConnection connection : new ArrayList<>(connections.values())) {
            disconnect(connection, MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN);
        }
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** The port the endpoint listens on (the configured one, or the one picked for port 0); -1 before start. */
    public int actualPort() {
        return actualPort;
    }

    /**
     * Payloads up to {@code maxMessageBytes} are processed; larger ones up to this limit still reach the
     * size check and get PUBACK 0x97, so the gateway learns why. Beyond it the MQTT decoder drops the
     * connection; CONNACK advertises it as the maximum packet size so that MQTT 5 clients do not send such packets.
     */
    private int transportLimit() {
        long limit = 2L * config.maxMessageBytes() + 64 * 1024;
        return (int) Math.min(limit, MQTT_MAX_PACKET);
    }

    // ---- CONNECT ----

    private void onConnect(MqttEndpoint endpoint) {
        GatewayConfig gateway;
        try {
            if (endpoint.protocolVersion() < 5) {
                throw new ConnectRefusedException(ConnectRefusedException.Refusal.PROTOCOL_VERSION,
                        "gateways must use MQTT 5, not protocol level " + endpoint.protocolVersion());
            }
            gateway = authenticator.authenticate(endpoint.clientIdentifier(),
                    endpoint.auth() == null ? null : endpoint.auth().getUsername(),
                    endpoint.auth() == null ? null : endpoint.auth().getPassword());
        } catch (ConnectRefusedException e) {
            refuse(endpoint, e);
            return;
        }
        GatewayConnection connection = new GatewayConnection(endpoint, gateway, clock.millis());
        GatewayConnection previous = connections.put(gateway.id(), connection);
        if (previous != null) {
            // MQTT: a new connection with the same client id takes over; the old one is likely half-open
            LOG.info("{} reconnected from {}: closing its previous connection", connection, endpoint.remoteAddress());
            disconnect(previous, MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
        }
        metrics.gatewayConnected();
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(message -> onPublish(connection, message));
        endpoint.subscribeHandler(subscribe -> onSubscribe(connection, subscribe));
        endpoint.unsubscribeHandler(unsubscribe -> onUnsubscribe(connection, unsubscribe));
        endpoint.publishAcknowledgeHandler(messageId -> LOG.debug("{} acknowledged config message {}", connection, messageId));
        endpoint.exceptionHandler(e -> rateLimited.log("error:" + gateway.id(), connection + " connection error: " + e,
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed)));
        // MQTT will (docs/protocol.md 3.1): a gateway whose connection ends without DISCONNECT (a cut
        // link, a killed process, keep-alive expiry) is recorded as offline through its will
        boolean[] disconnectedCleanly = {false};
        endpoint.disconnectMessageHandler(message -> disconnectedCleanly[0] = true);
        endpoint.closeHandler(v -> {
            // not after a takeover or a disconnect by the hub: those are not the gateway going away
            boolean lost = !disconnectedCleanly[0] && connections.get(gateway.id()) == connection;
            onClose(connection);
            if (lost) {
                recordWill(connection);
            }
        });
        endpoint.accept(false, connackProperties());
        LOG.info("{} [school: {}] connected from {}", connection, gateway.school(), endpoint.remoteAddress());
    }

    private MqttProperties connackProperties() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, 1));
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE,
                transportLimit()));
        return properties;
    }

    private void refuse(MqttEndpoint endpoint, ConnectRefusedException e) {
        MqttConnectReturnCode code = switch (e.refusal()) {
            // an MQTT 3.1.1 client understands only its own return codes: 0x01 is its "unacceptable protocol version"
            case PROTOCOL_VERSION -> endpoint.protocolVersion() < 5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION
                    : MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
            case BAD_CREDENTIALS -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case CLIENT_ID_MISMATCH -> MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
        };
        if (e.refusal() == ConnectRefusedException.Refusal.BAD_CREDENTIALS) {
            metrics.authFailed();
        } else {
            metrics.connectionRefused(e.refusal().label());
        }
        String user = endpoint.auth() == null || endpoint.auth().getUsername() == null
                ? "" : printable(endpoint.auth().getUsername());
        rateLimited.log("refused:" + endpoint.remoteAddress().hostAddress(),
                "[gateway: " + user + "] connection from " + endpoint.remoteAddress() + " refused ("
                        + e.refusal().label() + "): " + e.getMessage(),
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
        if (endpoint.protocolVersion() < 5) {
            endpoint.reject(code);
        } else {
            endpoint.reject(code, reasonString(e.getMessage()));
        }
    }

    private void onClose(GatewayConnection connection) {
        if (!connection.markClosed()) {
            return;
        }
        connections.remove(connection.gatewayId(), connection);
        metrics.gatewayDisconnected();
        LOG.info("{} disconnected", connection);
    }

    private void disconnect(GatewayConnection connection, MqttDisconnectReasonCode reason) {
        MqttEndpoint endpoint = connection.endpoint();
        onClose(connection);
        if (endpoint.isConnected()) {
            // sends DISCONNECT with the reason code, then closes the connection
            endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
        }
    }

    // ---- PUBLISH ----

    private void onPublish(GatewayConnection connection, MqttPublishMessage message) {
        if (message.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            // CONNACK says maximum QoS 1: a QoS 2 publish is a protocol error (MQTT 5, 3.3.1.4)
            disconnect(connection, MqttDisconnectReasonCode.QOS_NOT_SUPPORTED);
            return;
        }
        PublishContext ctx = PublishContext.of(connection, message, clock.millis());
        authorize(ctx)
                .compose(handler -> handler.apply(ctx))
                .onComplete(result -> finish(ctx, result));
    }

    /** Only the connection's own school and gateway, and only topics the hub serves. */
    private Future<Function<PublishContext, Future<Void>>> authorize(PublishContext ctx) {
        GatewayConnection connection = ctx.connection();
        Function<PublishContext, Future<Void>> handler = ctx.kind().map(handlers::get).orElse(null);
        boolean own = ctx.parsed()
                .filter(p -> p.school().equals(connection.school()) && p.gateway().equals(connection.gatewayId()))
                .isPresent();
        if (!own || handler == null) {
            return Future.failedFuture(new PublishRefusedException(RejectReason.NOT_AUTHORIZED,
                    "topic '" + ctx.printableTopic() + "' is not allowed: publish to "
                            + UplinkTopics.batch(connection.school(), connection.gatewayId()) + " or "
                            + UplinkTopics.health(connection.school(), connection.gatewayId())));
        }
        return Future.succeededFuture(handler);
    }

    private Future<Void> handleBatch(PublishContext ctx) {
        ctx.connection().countBatch();
        return checkSize(ctx)
                .compose(this::decode)
                .compose(batch -> checkOrigin(ctx, batch))
                .compose(batch -> store(ctx, batch));
    }

    private Future<PublishContext> checkSize(PublishContext ctx) {
        if (ctx.payload().length > config.maxMessageBytes()) {
            return Future.failedFuture(new PublishRefusedException(RejectReason.QUOTA_EXCEEDED,
                    "batch of " + ctx.payload().length + " bytes exceeds the hub's limit of "
                            + config.maxMessageBytes() + " bytes"));
        }
        return Future.succeededFuture(ctx);
    }

    /** The frame's version byte decides how it decodes (docs/protocol.md, "Versioning"); the content type is for tools. */
    private Future<Batch> decode(PublishContext ctx) {
        return worker.executeBlocking(() -> {
            try {
                return codec.decode(ctx.payload());
            } catch (BatchFormatException e) {
                throw new PublishRefusedException(e.isTooLarge() ? RejectReason.QUOTA_EXCEEDED
                        : RejectReason.PAYLOAD_FORMAT_INVALID, oneLine(e.getMessage()), e);
            } catch (RuntimeException e) {
                // the decoder must be total; should it fail otherwise on hostile input, the frame is still bad
                throw new PublishRefusedException(RejectReason.PAYLOAD_FORMAT_INVALID,
                        "undecodable batch frame: " + oneLine(String.valueOf(e.getMessage())), e);
            }
        }, false);
    }

    private Future<Batch> checkOrigin(PublishContext ctx, Batch batch) {
        GatewayConnection connection = ctx.connection();
        if (!batch.gatewayId().equals(connection.gatewayId()) || !batch.school().equals(connection.school())) {
            return Future.failedFuture(new PublishRefusedException(RejectReason.NOT_AUTHORIZED,
                    "batch " + batch.batchId() + " is of gateway '" + batch.gatewayId() + "' and school '"
                            + batch.school() + "', not of this connection's gateway"));
        }
        return Future.succeededFuture(batch);
    }

    private Future<Void> store(PublishContext ctx, Batch batch) {
        return worker.executeBlocking(() -> store.storeBatch(batch), false)
                .recover(e -> Future.failedFuture(new PublishRefusedException(RejectReason.STORE_FAILED,
                        "the hub could not store batch " + batch.batchId() + "; keep it and retry", e)))
                .map(outcome -> {
                    if (outcome == BatchOutcome.REPLAYED) {
                        metrics.batchReplayed();
                        LOG.debug("{} [batch: {}] replayed; already stored", ctx, batch.batchId());
                    } else {
                        metrics.batchStored(batch.readings().size(), batch.events().size());
                        LOG.debug("{} [batch: {}] stored: {} readings, {} events", ctx, batch.batchId(),
                                batch.readings().size(), batch.events().size());
                    }
                    return null;
                });
    }

    /** A health report is not worth refusing: a malformed one is counted and dropped (not fatal). */
    private Future<Void> handleHealth(PublishContext ctx) {
        GatewayConnection connection = ctx.connection();
        String report = healthReport(ctx.payload());
        if (report == null) {
            metrics.healthMalformed();
            rateLimited.log("health:" + connection.gatewayId(), connection + " health report is not a JSON object ("
                            + ctx.payload().length + " bytes); dropped",
                    (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
            return Future.succeededFuture();
        }
        return worker.executeBlocking(() -> {
            store.recordHealth(connection.gatewayId(), connection.school(), report);
            return null;
        }, false).<Void>mapEmpty().onSuccess(v -> metrics.healthRecorded()).recover(e -> {
            rateLimited.log("health-store", connection + " cannot record health report: " + e.getMessage(),
                    (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
            return Future.succeededFuture();
        });
    }

    /** Records the will of a gateway whose connection was lost, when it is a health report on its own health topic. */
    private void recordWill(GatewayConnection connection) {
        MqttWill will = connection.endpoint().will();
        if (will == null || !will.isWillFlag()) {
            return;
        }
        String healthTopic = UplinkTopics.health(connection.school(), connection.gatewayId());
        String report = healthTopic.equals(will.getWillTopic()) ? healthReport(will.getWillMessageBytes()) : null;
        if (report == null) {
            metrics.healthMalformed();
            rateLimited.log("will:" + connection.gatewayId(), connection + " will ignored: not a health report on "
                            + healthTopic,
                    (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
            return;
        }
        LOG.info("{} connection lost without DISCONNECT: recording its will (offline)", connection);
        worker.executeBlocking(() -> {
            store.recordHealth(connection.gatewayId(), connection.school(), report);
            return null;
        }, false).onSuccess(v -> metrics.healthRecorded()).onFailure(e -> rateLimited.log("health-store",
                connection + " cannot record its will: " + e.getMessage(),
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed)));
    }

    /** The report as compact JSON text, or null when it is not a JSON object. */
    private String healthReport(byte[] payload) {
        if (payload.length > MAX_HEALTH_BYTES) {
            return null;
        }
        try {
            JsonNode node = json.readTree(payload);
            return node != null && node.isObject() ? json.writeValueAsString(node) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The protocol edge: the chain's result becomes the PUBACK (QoS 1 only). */
    private void finish(PublishContext ctx, AsyncResult<Void> result) {
        MqttPubAckReasonCode code = MqttPubAckReasonCode.SUCCESS;
        String reason = null;
        if (result.failed()) {
            PublishRefusedException refused = result.cause() instanceof PublishRefusedException p ? p
                    // unexpected: answer "retry later", which loses nothing
                    : new PublishRefusedException(RejectReason.STORE_FAILED, "internal error; retry later", result.cause());
            code = refused.pubAckCode();
            reason = refused.getMessage();
            metrics.batchRejected(refused.reason());
            logRefusal(ctx, refused);
        }
        if (ctx.needsAck() && ctx.connection().isOpen()) {
            ctx.connection().endpoint().publishAcknowledge(ctx.messageId(), code,
                    reason == null ? MqttProperties.NO_PROPERTIES : reasonString(reason));
        }
    }

    private void logRefusal(PublishContext ctx, PublishRefusedException refused) {
        String key = refused.reason() + ":" + ctx.connection().gatewayId();
        Throwable cause = refused.getCause();
        // store failures are infrastructure problems: their cause is worth a line; bad input is not
        String detail = refused.reason() == RejectReason.STORE_FAILED && cause != null ? " cause: " + cause : "";
        rateLimited.log(key, ctx + " refused with PUBACK " + refused.pubAckCode() + ": " + refused.getMessage() + detail,
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
    }

    // ---- SUBSCRIBE: desired configuration ----

    private void onSubscribe(GatewayConnection connection, MqttSubscribeMessage subscribe) {
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
                        printable(subscription.topicName()), connection.configTopic());
            }
        }
        connection.endpoint().subscribeAcknowledge(subscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
        if (wantsConfig) {
            publishDesiredConfig(connection);
        }
    }

    private void onUnsubscribe(GatewayConnection connection, MqttUnsubscribeMessage unsubscribe) {
        List<MqttUnsubAckReasonCode> codes = unsubscribe.topics().stream()
                .map(t -> t.equals(connection.configTopic()) ? MqttUnsubAckReasonCode.SUCCESS
                        : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED)
                .toList();
        connection.endpoint().unsubscribeAcknowledge(unsubscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
    }

    private void publishDesiredConfig(GatewayConnection connection) {
        Buffer payload = desiredConfig(connection.gateway()).toBuffer();
        connection.endpoint()
                .publish(connection.configTopic(), payload, MqttQoS.AT_LEAST_ONCE, false, false)
                .onFailure(e -> LOG.warn("{} cannot send its desired configuration: {}", connection, e.toString()));
    }

    /** {@code {"version": <int>, ...}}: the configured map, with version 1 unless it names one. */
    static JsonObject desiredConfig(GatewayConfig gateway) {
        JsonObject out = new JsonObject();
        Object version = gateway.desiredConfig().get("version");
        out.put("version", version instanceof Integer v ? v : 1);
        gateway.desiredConfig().forEach((k, v) -> {
            if (!k.equals("version")) {
                out.put(k, v);
            }
        });
        return out;
    }

    // ---- helpers ----

    private static MqttProperties reasonString(String reason) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING,
                oneLine(reason)));
        return properties;
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

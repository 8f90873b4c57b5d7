package org.smartschool.hub.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.BatchFormatException;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.registry.GatewayCredentials;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.desired.DesiredConfigSource;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventType;
import org.smartschool.hub.fleet.GatewayActivity;
import org.smartschool.hub.fleet.OfflineCause;
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
 * ({@code authorize -> check size -> decode -> check origin -> rate limit -> store}); refusals are
 * {@link PublishRefusedException}s turned into a PUBACK or DISCONNECT reason code in {@link #finish}.
 * Decoding and storing run on their own bounded worker pools ({@link IngestWorkers}), never on the event
 * loop; Receive Maximum bounds how many batches one connection has in that chain.
 *
 * <p>All connection state lives in {@link GatewayConnection} objects owned by this verticle's event loop.
 */
public final class GatewayEndpoint extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayEndpoint.class);
    private static final int MAX_REASON_CHARS = 300;
    /**
     * Credential checks run on a pool of their own: a registered gateway's secret is a PBKDF2 hash (about 20 ms
     * of CPU), which on the event loop would hold up every connection's PUBACKs meanwhile.
     */
    private static final int AUTH_THREADS = 2;
    /** CONNECTs waiting for their check at most; more are refused with 0x89 Server busy. */
    static final int MAX_PENDING_AUTH = 256;

    private final MqttConfig config;
    private final GatewayAuthenticator authenticator;
    private final ReadingStore store;
    private final IngestWorkers workers;
    private final FleetEventLog fleet;
    private final HubMetrics metrics;
    private final BatchCodec codec;
    private final Clock clock;
    private final RateLimitedLog rateLimited;
    private final TakeoverGuard takeovers;
    private final HealthReports healthReports;
    private final GatewayActivity activity;
    private final SecuritySignals security;
    private final Map<String, Function<PublishContext, Future<Void>>> handlers = Map.of(
            UplinkTopics.BATCH, this::handleBatch,
            UplinkTopics.HEALTH, this::handleHealth);
    private final Map<String, GatewayConnection> connections = new HashMap<>();
    /** Per gateway id, not per connection: reconnecting must not refill the bucket. */
    private final Map<String, ReadingRateLimiter> limiters = new HashMap<>();

    private MqttServer server;
    private WorkerExecutor authWorkers;
    /** Set before the endpoint is deployed ({@link #desiredConfigs}); read on the event loop only. */
    private volatile DesiredConfigSource desiredConfigs = DesiredConfigSource.CONFIGURED;
    /** CONNECTs whose credential check is under way; owned by the event loop. */
    private int pendingAuth;
    private volatile int actualPort = -1;

    /**
     * @param workers decode frames and run the store's blocking calls
     * @param fleet   records session take-overs
     * @param registered gateways registered in the registry, checked after the configured ones
     */
    public GatewayEndpoint(MqttConfig config, List<GatewayConfig> gateways, ReadingStore store, IngestWorkers workers,
                           FleetEventLog fleet, HubMetrics metrics, BatchCodec codec, Clock clock,
                           GatewayCredentials registered) {
        this(config, gateways, store, workers, fleet, metrics, codec, clock, registered, GatewayActivity.NONE);
    }

    /** @param activity told of connections, messages and stored batches (fleet liveness) */
    public GatewayEndpoint(MqttConfig config, List<GatewayConfig> gateways, ReadingStore store, IngestWorkers workers,
                           FleetEventLog fleet, HubMetrics metrics, BatchCodec codec, Clock clock,
                           GatewayCredentials registered, GatewayActivity activity) {
        this(config, gateways, store, workers, fleet, metrics, codec, clock, registered, activity, SecuritySignals.NONE);
    }

    /** @param security told of refused credentials and refused topics (the hub's security alarms) */
    public GatewayEndpoint(MqttConfig config, List<GatewayConfig> gateways, ReadingStore store, IngestWorkers workers,
                           FleetEventLog fleet, HubMetrics metrics, BatchCodec codec, Clock clock,
                           GatewayCredentials registered, GatewayActivity activity, SecuritySignals security) {
        this.security = security;
        this.activity = activity;
        this.config = config;
        this.authenticator = new GatewayAuthenticator(gateways, registered);
        this.store = store;
        this.workers = workers;
        this.fleet = fleet;
        this.metrics = metrics;
        this.codec = codec;
        this.clock = clock;
        this.rateLimited = new RateLimitedLog(clock, Duration.ofSeconds(30));
        this.takeovers = new TakeoverGuard(config.takeover(), clock);
        this.healthReports = new HealthReports(store, workers.store(), metrics, rateLimited, activity);
    }

    @Override
    public Future<?> start() {
        authWorkers = vertx.createSharedWorkerExecutor("hub-auth-" + Integer.toHexString(System.identityHashCode(this)),
                AUTH_THREADS);
        MqttServerOptions options = new MqttServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxMessageSize(config.maxPacketBytes())
                .setTimeoutOnConnect(10);
        if (config.tls().enabled()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.tls().certFile())
                    .setKeyPath(config.tls().keyFile()));
        }
        server = MqttServer.create(vertx, options)
                .endpointHandler(this::onConnect)
                .exceptionHandler(e -> rateLimited.log("server", "MQTT server error: " + SafeText.clean(e.toString(), 300),
                        (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed)));
        return server.listen().onSuccess(s -> {
            actualPort = s.actualPort();
            LOG.info("gateway endpoint listening on {}:{} ({})", config.host(), actualPort,
                    config.tls().enabled() ? "TLS" : "plain TCP");
        });
    }

    @Override
    public Future<?> stop() {
        for (GatewayConnection connection : new ArrayList<>(connections.values())) {
            disconnect(connection, MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, null);
        }
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(() -> authWorkers == null ? Future.succeededFuture() : authWorkers.close());
    }

    /** Where the gateways' desired configurations come from; each gateway's configured one unless set before deploying. */
    public GatewayEndpoint desiredConfigs(DesiredConfigSource source) {
        this.desiredConfigs = source;
        return this;
    }

    /**
     * Sends the connected gateways of {@code schools} that subscribed to their config topic their desired
     * configuration again (it changed: a room's kind). Any thread; the sending runs on the event loop.
     */
    public void republishDesiredConfig(java.util.Set<String> schools) {
        if (context == null || schools.isEmpty()) {
            return;
        }
        context.runOnContext(v -> {
            for (GatewayConnection connection : connections.values()) {
                if (connection.isOpen() && connection.subscribedToConfig() && schools.contains(connection.school())) {
                    ConfigSubscriptions.publishDesiredConfig(connection, desiredConfigs, configPacketLimit(connection),
                            this::desiredConfigTooLarge);
                }
            }
        });
    }

    /** The port the endpoint listens on (the configured one, or the one picked for port 0); -1 before start. */
    public int actualPort() {
        return actualPort;
    }

    // ---- CONNECT ----

    /** Checks the credential off the event loop, then admits the gateway or refuses it, back on the event loop. */
    private void onConnect(MqttEndpoint endpoint) {
        if (endpoint.protocolVersion() < 5) {
            refuse(endpoint, new ConnectRefusedException(ConnectRefusedException.Refusal.PROTOCOL_VERSION,
                    "gateways must use MQTT 5, not protocol level " + endpoint.protocolVersion()), true);
            return;
        }
        if (pendingAuth >= MAX_PENDING_AUTH) {
            refuse(endpoint, new ConnectRefusedException(ConnectRefusedException.Refusal.SERVER_BUSY,
                    "more than " + MAX_PENDING_AUTH + " connections waiting for their credential check; retry later"), true);
            return;
        }
        String clientId = endpoint.clientIdentifier();
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        pendingAuth++;
        // a client that goes away during its check is neither admitted nor answered
        boolean[] gone = {false};
        endpoint.closeHandler(v -> gone[0] = true);
        authWorkers.executeBlocking(() -> authenticator.authenticate(clientId, username, password), false)
                .onComplete(result -> {
                    pendingAuth--;
                    if (gone[0]) {
                        LOG.debug("connection from {} closed during its credential check", endpoint.remoteAddress());
                    } else if (result.succeeded()) {
                        admit(endpoint, result.result());
                    } else if (result.cause() instanceof ConnectRefusedException refused) {
                        refuse(endpoint, refused, true);
                    } else {
                        refuse(endpoint, new ConnectRefusedException(ConnectRefusedException.Refusal.SERVER_UNAVAILABLE,
                                "the credential check failed: " + SafeText.clean(String.valueOf(result.cause()), 200)), true);
                    }
                });
    }

    private void admit(MqttEndpoint endpoint, GatewayConfig gateway) {
        GatewayConnection previous = connections.get(gateway.id());
        if (previous != null && previous.isOpen() && !takeOver(previous, endpoint)) {
            return;
        }
        GatewayConnection connection = new GatewayConnection(endpoint, gateway, clock.millis(), config.receiveMaximum());
        connections.put(gateway.id(), connection);
        // before the previous connection closes, so that its close is known as a take-over
        activity.connected(gateway.id(), gateway.school(), connection);
        if (previous != null) {
            disconnect(previous, MqttDisconnectReasonCode.SESSION_TAKEN_OVER,
                    "another connection with this gateway id took the session over");
        }
        metrics.gatewayConnected();
        metrics.gatewayConnectionAccepted();
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.publishHandler(message -> onPublish(connection, message));
        endpoint.subscribeHandler(subscribe -> ConfigSubscriptions.onSubscribe(connection, subscribe, desiredConfigs,
                configPacketLimit(connection), this::desiredConfigTooLarge));
        endpoint.unsubscribeHandler(unsubscribe -> ConfigSubscriptions.onUnsubscribe(connection, unsubscribe));
        endpoint.publishAcknowledgeHandler(messageId -> LOG.debug("{} acknowledged config message {}", connection, messageId));
        endpoint.exceptionHandler(e -> onConnectionError(connection, e));
        // MQTT will (docs/protocol.md 3.1): a gateway whose connection ends without DISCONNECT (a cut
        // link, a killed process, keep-alive expiry) or with DISCONNECT 0x04 (disconnect with will) is
        // recorded as offline through its will
        endpoint.disconnectMessageHandler(m -> connection.disconnectReceived(m.code().value() & 0xFF));
        endpoint.closeHandler(v -> {
            Integer code = connection.disconnectCode();
            // not after a takeover or a disconnect by the hub: those are not the gateway going away
            boolean lost = (code == null || code == 0x04) && connections.get(gateway.id()) == connection;
            onClose(connection);
            if (lost) {
                healthReports.recordWill(connection);
            }
        });
        endpoint.accept(false, connackProperties());
        LOG.info("{} [school: {}] connected from {}", connection, gateway.school(), endpoint.remoteAddress());
    }

    /**
     * MQTT says a new connection with the same client id takes the session over; two devices configured with
     * one id would do so forever, so after a few take-overs the newcomer is refused instead (TakeoverGuard).
     *
     * @return true when {@code newcomer} may take over
     */
    private boolean takeOver(GatewayConnection previous, MqttEndpoint newcomer) {
        String id = previous.gatewayId();
        TakeoverGuard.Decision decision = takeovers.decide(id);
        if (decision == TakeoverGuard.Decision.TAKE_OVER) {
            metrics.sessionTakenOver(id);
            LOG.info("{} reconnected from {}: closing its previous connection from {}", previous, newcomer.remoteAddress(),
                    previous.endpoint().remoteAddress());
            recordFleetEvent(new FleetEvent(clock.millis(), id, previous.school(), FleetEventType.SESSION_TAKEN_OVER,
                    "connection from " + newcomer.remoteAddress() + " took over the one from "
                            + previous.endpoint().remoteAddress()));
            return true;
        }
        String until = Instant.ofEpochMilli(takeovers.refusedUntil(id)).toString();
        String message = "gateway id taken over " + config.takeover().limit() + " times within "
                + config.takeover().windowSeconds() + " s: two devices seem to use it; new connections are refused until "
                + until;
        if (decision == TakeoverGuard.Decision.REFUSE_FIRST) {
            // once per refusal period: the loop itself would flood the log
            LOG.warn("{} {}; connection from {} refused, the one from {} stays", previous, message,
                    newcomer.remoteAddress(), previous.endpoint().remoteAddress());
            recordFleetEvent(new FleetEvent(clock.millis(), id, previous.school(), FleetEventType.TAKEOVER_LOOP,
                    message + "; refused " + newcomer.remoteAddress() + ", kept " + previous.endpoint().remoteAddress()));
        } else {
            LOG.debug("{} connection from {} refused: take-over loop", previous, newcomer.remoteAddress());
        }
        refuse(newcomer, new ConnectRefusedException(ConnectRefusedException.Refusal.TAKEOVER_LOOP, message), false);
        return false;
    }

    /**
     * The largest packet the hub may send a gateway: the gateway's own Maximum Packet Size when its CONNECT gave one,
     * and never more than the hub's: Paho's MQTT 5 client (1.2.5) checks the packets it reads against the Maximum
     * Packet Size of the server's CONNACK instead of its own (the two getters of its {@code ClientState} are swapped).
     */
    private long configPacketLimit(GatewayConnection connection) {
        long limit = config.maxPacketBytes();
        MqttProperties.MqttProperty<?> own = connection.endpoint().connectProperties() == null ? null
                : connection.endpoint().connectProperties().getProperty(MqttProperties.MAXIMUM_PACKET_SIZE);
        if (own != null && own.value() instanceof Integer bytes && bytes > 0) {
            limit = Math.min(limit, Integer.toUnsignedLong(bytes));
        }
        return limit;
    }

    private void desiredConfigTooLarge(GatewayConnection connection, long packetBytes, long maxPacketBytes) {
        metrics.desiredConfigTooLarge(connection.gatewayId());
        String detail = "desired configuration of " + packetBytes + " bytes not sent: over the Maximum Packet Size of "
                + maxPacketBytes + " bytes (a roster too large for one message?); the gateway keeps the one it has";
        LOG.warn("{} {}", connection, detail);
        recordFleetEvent(new FleetEvent(clock.millis(), connection.gatewayId(), connection.school(),
                FleetEventType.DESIRED_CONFIG_TOO_LARGE, detail));
    }

    private void recordFleetEvent(FleetEvent event) {
        workers.store().executeBlocking(() -> {
            fleet.record(event);
            return null;
        }, false).onFailure(e -> rateLimited.log("fleet", "cannot record fleet event " + event.type().label() + ": " + e,
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed)));
    }

    private MqttProperties connackProperties() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, 1));
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketBytes()));
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
        return properties;
    }

    private void refuse(MqttEndpoint endpoint, ConnectRefusedException e, boolean log) {
        MqttConnectReturnCode code = switch (e.refusal()) {
            // an MQTT 3.1.1 client understands only its own return codes: 0x01 is its "unacceptable protocol version"
            case PROTOCOL_VERSION -> endpoint.protocolVersion() < 5
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION
                    : MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
            case BAD_CREDENTIALS -> MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case CLIENT_ID_MISMATCH -> MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
            case TAKEOVER_LOOP -> MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED;
            case SERVER_BUSY -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY;
            case SERVER_UNAVAILABLE -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
        };
        if (e.refusal() == ConnectRefusedException.Refusal.BAD_CREDENTIALS) {
            metrics.authFailed();
            security.authenticationFailed(endpoint.auth() == null ? null : endpoint.auth().getUsername(),
                    e.claimedSchool());
        } else {
            metrics.connectionRefused(e.refusal().label());
        }
        if (log) {
            String user = endpoint.auth() == null || endpoint.auth().getUsername() == null
                    ? "" : SafeText.clean(endpoint.auth().getUsername(), 80);
            rateLimited.log("refused:" + endpoint.remoteAddress().hostAddress(),
                    "[gateway: " + user + "] connection from " + endpoint.remoteAddress() + " refused ("
                            + e.refusal().label() + "): " + e.getMessage(),
                    (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
        }
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
        offline(connection);
    }

    /** How the connection ended, for fleet liveness (README, "Fleet liveness"). */
    private void offline(GatewayConnection connection) {
        Integer code = connection.disconnectCode();
        io.vertx.mqtt.MqttWill will = connection.endpoint().will();
        boolean hasWill = will != null && will.isWillFlag();
        OfflineCause cause;
        String detail;
        if (connection.closedByHub() != null) {
            cause = OfflineCause.DISCONNECTED;
            detail = "closed by the hub: " + connection.closedByHub();
        } else if (hasWill && (code == null || code == (MqttDisconnectReasonCode.WITH_WILL_MESSAGE.value() & 0xFF))) {
            cause = OfflineCause.WILL;
            detail = "will on topic '" + SafeText.clean(String.valueOf(will.getWillTopic()), 200) + "' ("
                    + (will.getWillMessageBytes() == null ? 0 : will.getWillMessageBytes().length) + " bytes)";
        } else if (code != null) {
            cause = OfflineCause.DISCONNECTED;
            detail = String.format("DISCONNECT 0x%02X from the gateway", code);
        } else {
            cause = OfflineCause.CONNECTION_LOST;
            detail = "connection ended without DISCONNECT";
        }
        activity.disconnected(connection.gatewayId(), connection, cause, detail);
    }

    /** Sends DISCONNECT with the reason code (and reason string, unless null), then closes the connection. */
    private void disconnect(GatewayConnection connection, MqttDisconnectReasonCode reason, String reasonString) {
        MqttEndpoint endpoint = connection.endpoint();
        connection.closedByHub(String.format("DISCONNECT 0x%02X", reason.value() & 0xFF)
                + (reasonString == null ? "" : " " + reasonString));
        onClose(connection);
        if (endpoint.isConnected()) {
            endpoint.disconnect(reason, reasonString == null ? MqttProperties.NO_PROPERTIES : reasonString(reasonString));
        }
    }

    /**
     * A packet over the Maximum Packet Size of the CONNACK makes the MQTT decoder skip it and fail: MQTT 5 says
     * to answer DISCONNECT 0x95 (Vert.x closes the socket right after this handler).
     */
    private void onConnectionError(GatewayConnection connection, Throwable e) {
        TooLongFrameException tooLong = tooLong(e);
        if (tooLong != null && connection.isOpen()) {
            PublishRefusedException refused = new PublishRefusedException(RejectReason.PACKET_TOO_LARGE,
                    "packet larger than the Maximum Packet Size of " + config.maxPacketBytes() + " bytes ("
                            + SafeText.clean(tooLong.getMessage(), 120) + ")");
            metrics.batchRejected(refused.reason());
            log(connection.toString(), connection.gatewayId(), refused);
            disconnect(connection, refused.disconnectCode(), refused.getMessage());
            return;
        }
        rateLimited.log("error:" + connection.gatewayId(), connection + " connection error: " + SafeText.clean(e.toString(), 300),
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
    }

    private static TooLongFrameException tooLong(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLongFrameException tooLong) {
                return tooLong;
            }
        }
        return null;
    }

    // ---- PUBLISH ----

    private void onPublish(GatewayConnection connection, MqttPublishMessage message) {
        if (!connection.isOpen()) {
            return;
        }
        activity.contact(connection.gatewayId(), connection.school());
        PublishContext ctx = PublishContext.of(connection, message, clock.millis(), System.nanoTime());
        PublishRefusedException violation = protocolViolation(ctx);
        if (violation != null) {
            metrics.batchRejected(violation.reason());
            log(ctx.toString(), connection.gatewayId(), violation);
            disconnect(connection, violation.disconnectCode(), violation.getMessage());
            return;
        }
        if (ctx.needsAck()) {
            metrics.batchInFlight();
        }
        authorize(ctx)
                .compose(handler -> handler.apply(ctx))
                .onComplete(result -> finish(ctx, result));
    }

    /** A breach of what the CONNACK announced, answered with DISCONNECT (MQTT 5, 4.13); null when there is none. */
    private PublishRefusedException protocolViolation(PublishContext ctx) {
        boolean batch = ctx.kind().filter(UplinkTopics.BATCH::equals).isPresent();
        if (ctx.qos() == MqttQoS.EXACTLY_ONCE || (batch && ctx.qos() == MqttQoS.AT_MOST_ONCE)) {
            // QoS 2: above the Maximum QoS of the CONNACK. QoS 0: a batch needs a PUBACK to leave the outbox
            return new PublishRefusedException(RejectReason.QOS_NOT_SUPPORTED, (batch ? "batches" : "messages")
                    + " must be published with QoS 1, not QoS " + ctx.qos().value());
        }
        if (ctx.needsAck() && !ctx.connection().tryAcquire()) {
            return new PublishRefusedException(RejectReason.RECEIVE_MAXIMUM_EXCEEDED, "more than "
                    + config.receiveMaximum() + " unacknowledged QoS 1 messages (Receive Maximum of the CONNACK)");
        }
        return null;
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
                .compose(batch -> throttle(ctx, batch))
                .compose(batch -> store(ctx, batch));
    }

    /** Over the batch limit but within the packet limit: PUBACK 0x97, on which the gateway splits the batch. */
    private Future<PublishContext> checkSize(PublishContext ctx) {
        if (ctx.payload().length > config.maxMessageBytes()) {
            return Future.failedFuture(new PublishRefusedException(RejectReason.QUOTA_EXCEEDED,
                    "batch of " + ctx.payload().length + " bytes exceeds the hub's limit of "
                            + config.maxMessageBytes() + " bytes; split it"));
        }
        return Future.succeededFuture(ctx);
    }

    /** The frame's version byte decides how it decodes (docs/protocol.md, "Versioning"); the content type is for tools. */
    private Future<Batch> decode(PublishContext ctx) {
        return workers.decode().executeBlocking(() -> {
            long started = System.nanoTime();
            metrics.decodeQueued(started - ctx.receivedNanos());
            try {
                return codec.decode(ctx.payload());
            } catch (BatchFormatException e) {
                // the codec quotes the frame's strings through SafeText itself
                throw new PublishRefusedException(e.isTooLarge() ? RejectReason.QUOTA_EXCEEDED
                        : RejectReason.PAYLOAD_FORMAT_INVALID, e.getMessage(), e);
            } catch (RuntimeException e) {
                // the decoder must be total; should it fail otherwise on hostile input, the frame is still bad
                throw new PublishRefusedException(RejectReason.PAYLOAD_FORMAT_INVALID,
                        "undecodable batch frame: " + SafeText.clean(String.valueOf(e.getMessage()), MAX_REASON_CHARS), e);
            } finally {
                metrics.decodeTook(System.nanoTime() - started);
            }
        }, false);
    }

    private Future<Batch> checkOrigin(PublishContext ctx, Batch batch) {
        GatewayConnection connection = ctx.connection();
        if (!batch.gatewayId().equals(connection.gatewayId()) || !batch.school().equals(connection.school())) {
            return Future.failedFuture(new PublishRefusedException(RejectReason.NOT_AUTHORIZED,
                    "batch " + SafeText.clean(batch.batchId(), 128) + " is of gateway '"
                            + SafeText.clean(batch.gatewayId(), 64) + "' and school '"
                            + SafeText.clean(batch.school(), 64) + "', not of this connection's gateway"));
        }
        return Future.succeededFuture(batch);
    }

    /**
     * The gateway's rate limit: a batch a little ahead waits for its PUBACK (with Receive Maximum, the gateway
     * slows down); one too far ahead ends the connection with 0x96, and the gateway resends it after its backoff.
     */
    private Future<Batch> throttle(PublishContext ctx, Batch batch) {
        ReadingRateLimiter limiter = limiters.computeIfAbsent(ctx.connection().gatewayId(),
                id -> new ReadingRateLimiter(config.rateLimit(), clock));
        long wait = limiter.reserve(batch.readings().size() + batch.events().size());
        if (wait == 0) {
            return Future.succeededFuture(batch);
        }
        if (wait == ReadingRateLimiter.REFUSED) {
            return Future.failedFuture(new PublishRefusedException(RejectReason.RATE_LIMITED,
                    "more than " + config.rateLimit().readingsPerSecond()
                            + " readings per second; reconnect after a backoff and send again"));
        }
        metrics.batchThrottled();
        Promise<Batch> later = Promise.promise();
        vertx.setTimer(wait, id -> later.complete(batch));
        return later.future();
    }

    private Future<Void> store(PublishContext ctx, Batch batch) {
        long submitted = System.nanoTime();
        // when the store thread finished: the hop back to the event loop is part of the PUBACK latency
        long[] ended = new long[1];
        return workers.store().executeBlocking(() -> {
                    long started = System.nanoTime();
                    metrics.storeQueued(started - submitted);
                    try {
                        BatchOutcome outcome = store.storeBatch(batch);
                        // on this thread, right after the commit: see FleetMonitor's ordering guarantee
                        activity.batchStored(batch);
                        return outcome;
                    } finally {
                        ended[0] = System.nanoTime();
                        metrics.storeTook(ended[0] - started);
                    }
                }, false)
                .recover(e -> Future.failedFuture(new PublishRefusedException(RejectReason.STORE_FAILED,
                        "the hub could not store batch " + SafeText.clean(batch.batchId(), 128) + "; keep it and retry", e)))
                .map(outcome -> {
                    metrics.ackHandedOff(System.nanoTime() - ended[0]);
                    if (outcome == BatchOutcome.REPLAYED) {
                        metrics.batchReplayed();
                        LOG.debug("{} [batch: {}] replayed; already stored", ctx, SafeText.clean(batch.batchId(), 128));
                    } else {
                        metrics.batchStored(batch.readings().size(), batch.events().size());
                        LOG.debug("{} [batch: {}] stored: {} readings, {} events", ctx, SafeText.clean(batch.batchId(), 128),
                                batch.readings().size(), batch.events().size());
                    }
                    return null;
                });
    }

    private Future<Void> handleHealth(PublishContext ctx) {
        return healthReports.record(ctx);
    }

    /** The protocol edge: the chain's result becomes the PUBACK (QoS 1 only), or a DISCONNECT. */
    private void finish(PublishContext ctx, AsyncResult<Void> result) {
        GatewayConnection connection = ctx.connection();
        if (ctx.needsAck()) {
            connection.release();
            metrics.batchDone();
            metrics.ackTook(System.nanoTime() - ctx.receivedNanos());
        }
        MqttPubAckReasonCode code = MqttPubAckReasonCode.SUCCESS;
        String reason = null;
        if (result.failed()) {
            PublishRefusedException refused = result.cause() instanceof PublishRefusedException p ? p
                    // unexpected: answer "retry later", which loses nothing
                    : new PublishRefusedException(RejectReason.STORE_FAILED, "internal error; retry later", result.cause());
            metrics.batchRejected(refused.reason());
            log(ctx.toString(), connection.gatewayId(), refused);
            if (refused.reason() == RejectReason.NOT_AUTHORIZED) {
                security.topicRefused(connection.gatewayId(), connection.school());
            }
            if (refused.endsConnection()) {
                if (connection.isOpen()) {
                    disconnect(connection, refused.disconnectCode(), refused.getMessage());
                }
                return;
            }
            code = refused.pubAckCode();
            reason = refused.getMessage();
        }
        if (ctx.needsAck() && connection.isOpen()) {
            connection.endpoint().publishAcknowledge(ctx.messageId(), code,
                    reason == null ? MqttProperties.NO_PROPERTIES : reasonString(reason));
        }
    }

    private void log(String where, String gatewayId, PublishRefusedException refused) {
        String key = refused.reason() + ":" + gatewayId;
        Throwable cause = refused.getCause();
        // store failures are infrastructure problems: their cause is worth a line; bad input is not
        String detail = refused.reason() == RejectReason.STORE_FAILED && cause != null
                ? " cause: " + SafeText.clean(cause.toString(), MAX_REASON_CHARS) : "";
        rateLimited.log(key, where + " refused with " + refused.answer() + ": " + refused.getMessage() + detail,
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
    }

    // ---- helpers ----

    /**
     * The MQTT 5 Reason String property: one line, bounded. Every message quotes outside text only through
     * SafeText already; cleaning the whole again would escape those escapes a second time.
     */
    private static MqttProperties reasonString(String reason) {
        String line = reason.replaceAll("\\s+", " ").strip();
        if (line.length() > MAX_REASON_CHARS) {
            int end = Character.isHighSurrogate(line.charAt(MAX_REASON_CHARS - 1)) ? MAX_REASON_CHARS - 1 : MAX_REASON_CHARS;
            line = line.substring(0, end) + "...";
        }
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, line));
        return properties;
    }
}

package org.smartschool.gateway.uplink;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.mqtt.Backoff;
import org.smartschool.gateway.mqtt.ConnectLoop;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxBatch;
import org.smartschool.gateway.outbox.OutboxClosedException;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.telemetry.GatewayVersion;
import org.smartschool.gateway.telemetry.RateLimitedLog;
import org.smartschool.gateway.telemetry.SystemStats;

/**
 * Sends the outbox to the hub over MQTT 5 (Paho mqttv5), per docs/protocol.md.
 *
 * <p>One sender thread: wait for records, linger for a batch to fill, build the batch with the id
 * {@code {gatewayId}-{firstSeq}-{lastSeq}}, publish at QoS 1, wait for the PUBACK, and let
 * {@link PubackPolicy} decide: remove, keep as a refused batch, resend its records in halves
 * (0x97, too large) or resend the same batch after a backoff.
 * Only one batch is in flight at a time: simple, strictly ordered, and a batch is removed only for
 * its own PUBACK. Throughput is one batch per round trip, which for a school (tens of readings per
 * second, hundreds per batch) leaves a wide margin.
 *
 * <p>Also publishes the health report every {@code healthIntervalMillis} (QoS 0) and records the
 * desired configuration the hub sends on the config topic.
 */
public final class Uplink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final long POLL_MILLIS = 200;

    private final GatewayConfig config;
    private final Outbox outbox;
    private final GatewayMetrics metrics;
    private final BatchCodec codec;
    private final DesiredConfigReceiver desiredConfig;
    private final String batchTopic;
    private final String healthTopic;
    private final String configTopic;
    private final long startedAt = System.currentTimeMillis();
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 30_000);
    private final Thread sender;
    private final ScheduledExecutorService health;
    private MqttAsyncClient client;
    private volatile ConnectLoop connectLoop;
    private volatile boolean running;
    private final SystemStats systemStats;
    private volatile BooleanSupplier southConnected = () -> false;
    private volatile Supplier<HealthReport.Wired> wired = () -> HealthReport.Wired.NONE;

    public Uplink(GatewayConfig config, Outbox outbox, GatewayMetrics metrics, BatchCodec codec,
                  DesiredConfigReceiver desiredConfig) {
        this.config = config;
        this.outbox = outbox;
        this.metrics = metrics;
        this.codec = codec;
        this.desiredConfig = desiredConfig;
        this.batchTopic = UplinkTopics.batch(config.school(), config.gatewayId());
        this.healthTopic = UplinkTopics.health(config.school(), config.gatewayId());
        this.configTopic = UplinkTopics.config(config.school(), config.gatewayId());
        this.systemStats = new SystemStats(java.nio.file.Path.of(config.outbox().path()));
        this.sender = new Thread(this::sendLoop, "uplink " + config.gatewayId());
        this.sender.setDaemon(true);
        this.health = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "uplink-health " + config.gatewayId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts connecting (retrying in the background until the hub answers), sending and health reports. */
    public synchronized void start() {
        if (client != null) {
            throw new IllegalStateException("already started");
        }
        String url = config.north().url();
        // read before anything starts: a bad CA file is a configuration error, not a link to retry
        SSLSocketFactory tls = config.north().tls() ? HubTrust.socketFactory(config.north().caFile()) : null;
        try {
            // the outbox is the durable state; Paho keeps nothing on disk (memory persistence)
            client = new MqttAsyncClient(url, config.gatewayId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("north.url " + url + ": " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        running = true;
        sender.start();
        long interval = config.uplink().healthIntervalMillis();
        health.scheduleAtFixedRate(this::publishHealth, interval, interval, TimeUnit.MILLISECONDS);
        MqttConnectionOptions options = connectionOptions(tls);
        connectLoop = new ConnectLoop("north " + config.gatewayId() + " " + url,
                // a connection an earlier, timed-out attempt completed after all counts as made
                () -> {
                    if (!client.isConnected()) {
                        try {
                            client.connect(options).waitForCompletion();
                        } catch (MqttException e) {
                            throw explainHandshake(e);
                        }
                    }
                },
                new Backoff(config.uplink().retryMinMillis(), config.uplink().retryMaxMillis()));
        connectLoop.start();
    }

    private MqttConnectionOptions connectionOptions(SSLSocketFactory tls) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        if (tls != null) {
            options.setSocketFactory(tls);
            // the certificate must name the host of north.url (a CA-signed certificate of another host is refused)
            options.setHttpsHostnameVerificationEnabled(true);
        }
        options.setUserName(config.gatewayId());
        if (config.north().password() != null) {
            options.setPassword(config.north().password().getBytes(StandardCharsets.UTF_8));
        }
        // the gateway's durable state is its outbox, not an MQTT session
        options.setCleanStart(true);
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setConnectionTimeout(10);
        // the ConnectLoop reconnects, with our capped backoff; Paho's own doubling ignores the cap
        options.setAutomaticReconnect(false);
        // the hub records this as the last health report when the connection ends without DISCONNECT
        MqttMessage will = new MqttMessage(HealthReport.offlineWill(config.gatewayId(), config.school(),
                System.currentTimeMillis()));
        will.setQos(0);
        will.setRetained(false);
        options.setWill(healthTopic, will);
        return options;
    }

    /**
     * A failed TLS handshake in plain words: Paho reports it as a bare "MqttException" with the
     * handshake's exception as its cause. The ConnectLoop logs it (message only, hence no cause: the
     * log line would repeat Paho's "Untranslated MqttException") and retries with its backoff.
     */
    private Exception explainHandshake(MqttException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                String source = config.north().caFile() == null ? "the JVM's default trust store"
                        : "north.caFile " + config.north().caFile();
                String detail = String.valueOf(t.getMessage());
                // the JDK's HostnameChecker: "No subject alternative names matching IP address ...", "No name matching ..."
                boolean wrongHost = detail.startsWith("No subject alternative") || detail.startsWith("No name matching");
                return new IllegalStateException("TLS handshake with " + config.north().url() + " failed: "
                        + (wrongHost ? "the hub's certificate does not name the host of north.url"
                                : "the hub's certificate is not trusted by " + source)
                        + " (" + SafeText.clean(detail, 300) + ")");
            }
        }
        return e;
    }

    public boolean isConnected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    /** What became of the desired configuration the hub sent. */
    public DesiredConfigReceiver desiredConfig() {
        return desiredConfig;
    }

    // ---- sending ------------------------------------------------------------------------------

    private void sendLoop() {
        Backoff backoff = new Backoff(config.uplink().retryMinMillis(), config.uplink().retryMaxMillis());
        int batchMax = config.uplink().batchMaxRecords();
        // after the hub refused a batch as too large (0x97), its records go in smaller batches
        // until the last of them is through; then the configured size again
        long splitThrough = -1;
        while (running) {
            try {
                if (!isConnected()) {
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                if (outbox.awaitSize(1, POLL_MILLIS) == 0) {
                    continue;
                }
                // a record is waiting: give the batch a moment to fill, unless it is full already
                outbox.awaitSize(batchMax, config.uplink().lingerMillis());
                OutboxBatch peeked = outbox.peek(batchMax);
                if (peeked.isEmpty()) {
                    continue;
                }
                if (splitThrough >= 0 && peeked.firstSeq() > splitThrough) {
                    splitThrough = -1;
                    batchMax = config.uplink().batchMaxRecords();
                    continue; // peek again at the full size
                }
                boolean tooLarge = !send(peeked, backoff);
                if (tooLarge) {
                    // a frame over the hub's (or the encoder's) limit: resend its records in halves,
                    // halving again, down to one record, until each part goes through
                    batchMax = Math.max(1, peeked.size() / 2);
                    splitThrough = Math.max(splitThrough, peeked.lastSeq());
                } else if (splitThrough < 0 || peeked.lastSeq() >= splitThrough) {
                    splitThrough = -1;
                    batchMax = config.uplink().batchMaxRecords();
                }
            } catch (InterruptedException | OutboxClosedException e) {
                break;
            } catch (RuntimeException e) {
                // a bug or a failing disk: the records stay in the outbox; try again after a wait
                LOG.error("[uplink: {}] sending failed; records stay in the outbox", config.gatewayId(), e);
                try {
                    Thread.sleep(backoff.next());
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
        LOG.debug("[uplink: {}] sender stopped", config.gatewayId());
    }

    /**
     * Sends one batch until the hub has settled it (stored or refused) or the uplink stops.
     *
     * @return false when the batch makes a frame larger than the hub accepts and must be split
     */
    private boolean send(OutboxBatch peeked, Backoff backoff) throws InterruptedException {
        String batchId = batchId(config.gatewayId(), peeked.firstSeq(), peeked.lastSeq());
        Batch batch;
        try {
            batch = new Batch(batchId, config.gatewayId(), config.school(), peeked.readings(), peeked.events());
        } catch (IllegalArgumentException e) {
            // records that cannot form a batch (another school's, after a reconfiguration): resending cannot help
            deadLetter(peeked, batchId, "cannot build batch " + batchId + ": " + e.getMessage());
            return true;
        }
        byte[] frame;
        try {
            frame = codec.encode(batch);
        } catch (IllegalArgumentException e) {
            if (peeked.size() > 1) {
                LOG.warn("[uplink: {}] [batch: {}] {}; sending fewer records per batch", config.gatewayId(), batchId,
                        e.getMessage());
                return false;
            }
            deadLetter(peeked, batchId, "cannot encode batch " + batchId + ": " + e.getMessage());
            return true;
        }
        while (true) {
            PubackPolicy.Outcome outcome = publish(frame);
            PubackPolicy.Decision decision = PubackPolicy.decide(outcome);
            switch (decision.action()) {
                case REMOVE -> {
                    outbox.remove(peeked.lastSeq());
                    metrics.batchesSent().increment();
                    metrics.recordsSent().increment(peeked.size());
                    backoff.reset();
                    LOG.debug("[uplink: {}] [batch: {}] {} records sent ({})", config.gatewayId(), batchId,
                            peeked.size(), decision.reason());
                    return true;
                }
                case DEAD_LETTER -> {
                    backoff.reset();
                    deadLetter(peeked, batchId, "batch " + batchId + ": " + decision.reason());
                    return true;
                }
                case SPLIT -> {
                    backoff.reset();
                    if (peeked.size() > 1) {
                        metrics.batchesSplit().increment();
                        LOG.warn("[uplink: {}] [batch: {}] {}; resending its {} records in halves (uplink.batchMaxRecords "
                                + "{} is more than the hub accepts)", config.gatewayId(), batchId, decision.reason(),
                                peeked.size(), config.uplink().batchMaxRecords());
                        return false;
                    }
                    deadLetter(peeked, batchId, "batch " + batchId + " of one record: " + decision.reason());
                    return true;
                }
                case RETRY -> {
                    metrics.batchRetries().increment();
                    rateLimited.warn("retry", "[uplink: {}] [batch: {}] {}; will resend", config.gatewayId(),
                            batchId, decision.reason());
                    if (!running) {
                        return true; // the batch stays in the outbox for the next start
                    }
                    waitBeforeResend(outcome, backoff.next());
                    if (!running) {
                        return true;
                    }
                }
            }
        }
    }

    private void deadLetter(OutboxBatch peeked, String batchId, String reason) {
        outbox.moveToRefusedBatches(peeked.lastSeq(), batchId, batchTopic, reason);
        metrics.batchesRejected().increment();
        LOG.error("[uplink: {}] [batch: {}] {}; {} records moved to the refused batches", config.gatewayId(), batchId,
                reason, peeked.size());
    }

    /** Waits the backoff; when the connection was lost, also until Paho has reconnected. */
    private void waitBeforeResend(PubackPolicy.Outcome outcome, long delayMillis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        boolean disconnected = outcome instanceof PubackPolicy.Outcome.NoAck noAck && noAck.disconnected();
        while (running && (System.nanoTime() < until || (disconnected && !isConnected()))) {
            if (disconnected && isConnected()) {
                return; // back online: resend now rather than sit out the rest of the backoff
            }
            Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
        }
    }

    private PubackPolicy.Outcome publish(byte[] frame) {
        if (!isConnected()) {
            return new PubackPolicy.Outcome.NoAck("not connected to " + config.north().url(), true);
        }
        MqttMessage message = new MqttMessage(frame);
        message.setQos(1);
        message.setRetained(false);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(BatchCodec.CONTENT_TYPE);
        message.setProperties(properties);
        IMqttToken token;
        try {
            token = client.publish(batchTopic, message);
        } catch (MqttException e) {
            return new PubackPolicy.Outcome.NoAck("publish failed: " + e.getMessage(), !isConnected());
        }
        try {
            token.waitForCompletion(config.uplink().ackTimeoutMillis());
        } catch (MqttException e) {
            boolean timedOut = e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT;
            if (timedOut) {
                // the hub may still be working on it: the same batch again on this connection would be
                // a duplicate it is handed while the first is outstanding. A new connection first.
                String why = "no PUBACK within " + config.uplink().ackTimeoutMillis() + " ms";
                dropConnection(why);
                return new PubackPolicy.Outcome.NoAck(why + "; connection closed", true);
            }
            return new PubackPolicy.Outcome.NoAck(e.getMessage(), !isConnected());
        }
        int[] codes = token.getReasonCodes();
        int code = codes == null || codes.length == 0 ? 0 : codes[0];
        MqttProperties response = token.getResponseProperties();
        return new PubackPolicy.Outcome.Acked(code, response == null ? null : response.getReasonString());
    }

    /**
     * Ends the connection (DISCONNECT, then the socket) and lets the ConnectLoop make a new one after
     * its backoff. A forced disconnect does not call Paho's {@code disconnected} callback.
     */
    private void dropConnection(String why) {
        metrics.ackTimeouts().increment();
        LOG.warn("[uplink: {}] {}; closing the connection to {}: the batch is resent on a new one",
                config.gatewayId(), why, config.north().url());
        try {
            client.disconnectForcibly(0, 1_000, true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("[uplink: {}] forced disconnect: {}", config.gatewayId(), e.getMessage());
        }
        ConnectLoop loop = connectLoop;
        if (loop != null) {
            loop.connectionLost();
        }
    }

    /** {@code gw-1-1700000000001-1700000000500}: deterministic from the outbox, the same on every resend. */
    public static String batchId(String gatewayId, long firstSeq, long lastSeq) {
        return gatewayId + "-" + firstSeq + "-" + lastSeq;
    }

    // ---- health and desired configuration -----------------------------------------------------

    /** The report as it would be published now. */
    public HealthReport healthReport() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("south_messages", (long) metrics.southMessages().count());
        counters.put("south_retained_skipped", (long) metrics.southRetainedSkipped().count());
        counters.put("records_appended", (long) metrics.recordsAppended().count());
        counters.put("decode_errors", metrics.decodeErrorsTotal());
        counters.put("unknown_devices", metrics.unknownDevicesTotal());
        counters.put("dropped", metrics.droppedTotal());
        counters.put("batches_sent", (long) metrics.batchesSent().count());
        counters.put("batches_rejected", (long) metrics.batchesRejected().count());
        counters.put("batch_retries", (long) metrics.batchRetries().count());
        counters.put("records_sent", (long) metrics.recordsSent().count());
        ConnectLoop loop = connectLoop;
        counters.put("north_connects", loop == null ? 0 : loop.connects());
        counters.put("batches_split", (long) metrics.batchesSplit().count());
        counters.put("redeliveries_skipped", (long) metrics.redeliveriesSkipped().count());
        counters.put("ack_timeouts", (long) metrics.ackTimeouts().count());
        long now = System.currentTimeMillis();
        HealthReport.Coap coap = new HealthReport.Coap((long) metrics.coapRequests().count(),
                metrics.coapRefusedByReason(), metrics.coapDtlsFailuresByReason(),
                (long) metrics.coapObserveRegistrations().count());
        return new HealthReport(config.gatewayId(), config.school(), GatewayVersion.current(), now,
                (now - startedAt) / 1000, southConnected.getAsBoolean(), isConnected(),
                outbox.size(), outbox.oldestAppendedAt(), outbox.deadLetterCount(), counters,
                metrics.dropsByReason(), metrics.decodeErrorsByCodec(), metrics.unknownDevicesBySource(),
                metrics.devicesLastSeen(), systemStats.read(), desiredConfig.version(), desiredConfig.refusal(),
                outbox.diskFull() ? outbox.diskFullReason() : null, coap, wired.get());
    }

    /** Lets the health report carry the wired devices' state (the gateway wires it once they run). */
    public void reportWired(Supplier<HealthReport.Wired> wired) {
        this.wired = wired;
    }

    /** Lets the health report say whether the school's broker is reachable (the gateway wires it). */
    public void reportSouthLink(BooleanSupplier connected) {
        this.southConnected = connected;
    }

    private void publishHealth() {
        try {
            if (!isConnected()) {
                return;
            }
            client.publish(healthTopic, healthReport().toJson(), 0, false);
        } catch (OutboxClosedException e) {
            // stopping
        } catch (MqttException | RuntimeException e) {
            // never let the scheduled task die: the next report may go through
            rateLimited.warn("health", "[uplink: {}] health report not sent: {}", config.gatewayId(), e.getMessage());
        }
    }

    /** Paho's callbacks: they must never throw. */
    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.info("[uplink: {}] {} to {}", config.gatewayId(), reconnect ? "reconnected" : "connected", serverUri);
            try {
                // clean start: the subscription is made again on every connection
                client.subscribe(configTopic, 1);
            } catch (MqttException | RuntimeException e) {
                LOG.error("[uplink: {}] cannot subscribe to {}: {}", config.gatewayId(), configTopic, e.getMessage());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("[uplink: {}] disconnected from {}: {}; reconnecting", config.gatewayId(), config.north().url(),
                    response == null ? "unknown cause" : describe(response));
            ConnectLoop loop = connectLoop;
            if (loop != null) {
                loop.connectionLost();
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.warn("[uplink: {}] MQTT error: {}", config.gatewayId(), e.getMessage());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                if (!configTopic.equals(topic)) {
                    LOG.warn("[uplink: {}] unexpected message on {}", config.gatewayId(), topic);
                    return;
                }
                if (message.getPayload().length == 0) {
                    LOG.debug("[uplink: {}] empty desired configuration ignored", config.gatewayId());
                    return;
                }
                desiredConfig.receive(message.getPayload());
            } catch (RuntimeException e) {
                LOG.error("[uplink: {}] cannot take the desired configuration: {}", config.gatewayId(), e.toString());
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the sender waits on the token itself
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }

    private static String describe(MqttDisconnectResponse response) {
        if (response.getException() != null) {
            return response.getException().getMessage();
        }
        return PubackPolicy.describe(response.getReturnCode(), response.getReasonString());
    }

    /**
     * Stops: no new batch is started; a batch in flight gets its PUBACK or times out (up to
     * {@code ackTimeoutMillis}); then the connection is closed. Unsent records stay in the outbox.
     */
    @Override
    public synchronized void close() {
        if (client == null || !running) {
            return;
        }
        running = false;
        connectLoop.stop();
        health.shutdownNow();
        try {
            sender.join(config.uplink().ackTimeoutMillis() + config.uplink().lingerMillis() + 2_000);
            if (sender.isAlive()) {
                sender.interrupt();
                sender.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("[uplink: {}] disconnect: {}", config.gatewayId(), e.getMessage());
            try {
                client.disconnectForcibly(0, 1_000, false);
            } catch (MqttException ignored) {
                // already gone
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("[uplink: {}] close: {}", config.gatewayId(), e.getMessage());
        }
        LOG.info("[uplink: {}] stopped; {} records wait in the outbox", config.gatewayId(), safeSize());
    }

    private long safeSize() {
        try {
            return outbox.size();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}

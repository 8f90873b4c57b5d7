package org.smartschool.gateway.uplink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttCallback;
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
 * {@code {gatewayId}-{firstSeq}-{lastSeq}}, publish at QoS 1, and let {@link PubackPolicy} decide on
 * its PUBACK: remove, keep as a refused batch, resend its records in halves (0x97, too large) or
 * resend the same batch after a backoff.
 *
 * <p>A window of up to {@code uplink.windowBatches} batches is in flight (never more than the hub's
 * Receive Maximum): with a round trip of latency (and a hub that stores batches concurrently) one
 * batch per round trip would cap a replay after an outage. Batches go in outbox order; each is
 * settled by its own PUBACK, which may come back out of order, and removes exactly its own range.
 * A batch is never published twice on one connection while the first send is outstanding: without
 * a PUBACK in time the connection is closed, and after any reconnect the whole window is resent, in
 * order, with the same batch ids. Only the window (at most windowBatches x batchMaxRecords records)
 * is held in memory; the outbox absorbs any backlog.
 *
 * <p>Also publishes the health report every {@code healthIntervalMillis} (QoS 0) and records the
 * desired configuration the hub sends on the config topic.
 */
public final class Uplink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);
    private static final int KEEP_ALIVE_SECONDS = 30;
    private static final long POLL_MILLIS = 200;
    /** {@link Outbox#urgentAppends()} when the sender last took records: more since means an alarm waits. */
    private long urgentSent;

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
    /** The token of the last connection attempt (the ConnectLoop's thread only): its CONNACK's properties. */
    private IMqttToken lastConnect;
    private volatile ConnectLoop connectLoop;
    private volatile boolean running;
    private final SystemStats systemStats;

    // the window: touched by the sender thread only, except the volatile figures for the health report
    private final Deque<InFlight> window = new ArrayDeque<>();
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Backoff backoff;
    private int batchMax;
    /** While the records of a batch the hub found too large are resent in halves: the last of them; else -1. */
    private long splitThrough = -1;
    private long sendCount;
    private volatile int batchesInFlight;
    private volatile int windowLimitNow;
    /** The hub's Receive Maximum from the last CONNACK: the window never exceeds it. */
    private volatile int serverReceiveMaximum = 65_535;
    /** Numbers connections so that a send is known to be outstanding on the live one or not. */
    private final Object connectionLock = new Object();
    private int connections;
    /** The number of the live connection, 0 while there is none; written under {@link #connectionLock}. */
    private volatile int liveConnection;
    private volatile BooleanSupplier southConnected = () -> false;
    private volatile Supplier<HealthReport.Wired> wired = () -> HealthReport.Wired.NONE;
    private volatile Supplier<HealthReport.Rules> rules = () -> HealthReport.Rules.NONE;
    private volatile Supplier<org.smartschool.gateway.attendance.AttendanceCounters> attendance =
            () -> org.smartschool.gateway.attendance.AttendanceCounters.NONE;

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
        this.backoff = new Backoff(config.uplink().retryMinMillis(), config.uplink().retryMaxMillis());
        this.batchMax = config.uplink().batchMaxRecords();
        this.windowLimitNow = config.uplink().windowBatches();
        metrics.gauge("gateway_uplink_batches_in_flight",
                "batches taken from the outbox and not yet settled by the hub (at most uplink.windowBatches)",
                () -> batchesInFlight);
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
                            lastConnect = client.connect(options);
                            // Paho's connection timeout covers the TCP (and TLS) connect only: a link that
                            // stalls after the CONNECT would hold this attempt until the keep-alive. The hub
                            // answers a CONNECT within seconds even when busy (CONNACK 0x89 past its queue).
                            lastConnect.waitForCompletion(options.getConnectionTimeout() * 1_000L);
                        } catch (MqttException e) {
                            if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_TIMEOUT && !client.isConnected()) {
                                LOG.info("[uplink] no CONNACK from {} within {} s; closing that connection and trying again",
                                        url, options.getConnectionTimeout());
                                client.disconnectForcibly(0, 1_000, false);
                            }
                            throw explainHandshake(e);
                        }
                    }
                    connectionMade(lastConnect);
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

    /** A batch taken from the outbox and not yet settled by the hub: sent, or waiting to be (re)sent. */
    private static final class InFlight {
        final OutboxBatch records;
        final String batchId;
        /** Null when the records make a frame too large to encode: the batch is split, never sent. */
        final byte[] frame;
        /** The connection it is outstanding on; 0 while it is not outstanding anywhere (to be sent). */
        int connection;
        /** Identifies the last send: an answer to an earlier send of the batch is ignored. */
        long sendId;
        long sentAtNanos;
        int sends;
        /** After the hub could not store it (0x83) or a send failed: not resent before this (nanoTime); 0: any time. */
        long resendAtNanos;
        /** Too large for the hub (0x97) or the encoder: split once the other batches are settled. */
        boolean tooLarge;

        InFlight(OutboxBatch records, String batchId, byte[] frame) {
            this.records = records;
            this.batchId = batchId;
            this.frame = frame;
            this.tooLarge = frame == null;
        }

        boolean outstanding() {
            return connection != 0;
        }

        boolean waitingToBeSent() {
            return connection == 0 && !tooLarge;
        }
    }

    /** Paho's answer to one send, handed from its callback thread to the sender. */
    private record Completion(InFlight batch, long sendId, PubackPolicy.Outcome outcome) {
    }

    /**
     * The sender thread: keeps up to {@link #windowLimit()} batches in flight, in outbox order, and
     * settles each by its own PUBACK, in whatever order those come back.
     */
    private void sendLoop() {
        while (running) {
            try {
                settleAnswered();
                int connection = liveConnection;
                if (connection == 0 || !isConnected()) {
                    awaitAnswer(POLL_MILLIS);
                    continue;
                }
                if (dropConnectionWhenAckOverdue(connection) || splitWhenDrained()) {
                    continue;
                }
                resendInOrder(connection);
                fillWindow(connection);
                awaitProgress(connection);
            } catch (InterruptedException | OutboxClosedException e) {
                break;
            } catch (RuntimeException e) {
                // a bug or a failing disk: the records stay in the outbox. The window is rebuilt from
                // the oldest record, on a new connection if any batch was outstanding (never twice on one)
                LOG.error("[uplink: {}] sending failed; records stay in the outbox", config.gatewayId(), e);
                if (window.stream().anyMatch(InFlight::outstanding) && liveConnection != 0) {
                    dropConnection("sending failed (" + e + ")");
                }
                window.clear();
                try {
                    Thread.sleep(backoff.next());
                } catch (InterruptedException interrupted) {
                    break;
                }
            } finally {
                batchesInFlight = window.size();
            }
        }
        finishOutstanding();
        batchesInFlight = window.size();
        LOG.debug("[uplink: {}] sender stopped", config.gatewayId());
    }

    /**
     * How many batches may be in flight now: {@code uplink.windowBatches}, at most the hub's Receive
     * Maximum, and one while the records of a batch the hub found too large are resent in halves.
     */
    private int windowLimit() {
        int limit = splitThrough >= 0 ? 1 : Math.max(1, Math.min(config.uplink().windowBatches(), serverReceiveMaximum));
        windowLimitNow = limit;
        return limit;
    }

    /** Settles every answer Paho has handed over so far, without waiting. */
    private void settleAnswered() {
        for (Completion c = completions.poll(); c != null; c = completions.poll()) {
            settle(c);
        }
    }

    private void awaitAnswer(long millis) throws InterruptedException {
        Completion c = completions.poll(Math.max(1, millis), TimeUnit.MILLISECONDS);
        if (c != null) {
            settle(c);
        }
    }

    /** Acts on the hub's answer to one batch (or its absence), as {@link PubackPolicy} decides. */
    private void settle(Completion c) {
        InFlight b = c.batch();
        if (b.sendId != c.sendId() || !b.outstanding() || !window.contains(b)) {
            return; // the answer to a send that was superseded (resent on a new connection, window rebuilt)
        }
        PubackPolicy.Outcome outcome = c.outcome();
        PubackPolicy.Decision decision = PubackPolicy.decide(outcome);
        int sentOn = b.connection;
        b.connection = 0;
        switch (decision.action()) {
            case REMOVE -> {
                outbox.remove(b.records.firstSeq(), b.records.lastSeq());
                window.remove(b);
                batchesInFlight = window.size();
                metrics.batchesSent().increment();
                metrics.recordsSent().increment(b.records.size());
                backoff.reset();
                endSplitAfter(b);
                LOG.debug("[uplink: {}] [batch: {}] {} records sent ({})", config.gatewayId(), b.batchId,
                        b.records.size(), decision.reason());
            }
            case DEAD_LETTER -> {
                backoff.reset();
                deadLetter(b.records, b.batchId, "batch " + b.batchId + ": " + decision.reason());
                window.remove(b);
                batchesInFlight = window.size();
                endSplitAfter(b);
            }
            case SPLIT -> {
                backoff.reset();
                // a batch of one outbox row (one device message) cannot be split further, however many records it has
                if (b.records.firstSeq() < b.records.lastSeq()) {
                    metrics.batchesSplit().increment();
                    LOG.warn("[uplink: {}] [batch: {}] {}; resending its {} records in halves (uplink.batchMaxRecords "
                            + "{} is more than the hub accepts)", config.gatewayId(), b.batchId, decision.reason(),
                            b.records.size(), config.uplink().batchMaxRecords());
                    b.tooLarge = true;
                } else {
                    deadLetter(b.records, b.batchId, "batch " + b.batchId + " of one outbox row: " + decision.reason());
                    window.remove(b);
                    batchesInFlight = window.size();
                    endSplitAfter(b);
                }
            }
            case RETRY -> {
                rateLimited.warn("retry", "[uplink: {}] [batch: {}] {}; will resend", config.gatewayId(),
                        b.batchId, decision.reason());
                if (outcome instanceof PubackPolicy.Outcome.Acked) {
                    // the hub answered (it could not store): not outstanding, so the same connection may
                    // carry it again, after the backoff
                    b.resendAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.next());
                } else {
                    // no answer: the hub may still hold it. A new connection first, then the whole
                    // window again, in order (the ConnectLoop waits its backoff before reconnecting)
                    b.resendAtNanos = 0;
                    if (liveConnection == sentOn && sentOn != 0) {
                        dropConnection("batch " + b.batchId + " got no PUBACK: " + decision.reason());
                        abandon(sentOn);
                    }
                }
            }
        }
    }

    /** After the last of the records that were split is through, batches go at the configured size again. */
    private void endSplitAfter(InFlight b) {
        if (splitThrough >= 0 && b.records.lastSeq() >= splitThrough) {
            splitThrough = -1;
            batchMax = config.uplink().batchMaxRecords();
        }
    }

    /**
     * A batch without its PUBACK within {@code uplink.ackTimeoutMillis}: the hub may still be working
     * on it, and the same batch again on this connection would be a duplicate it is handed while the
     * first is outstanding. So the connection is closed and the window resent on a new one.
     */
    private boolean dropConnectionWhenAckOverdue(int connection) {
        long now = System.nanoTime();
        long timeout = TimeUnit.MILLISECONDS.toNanos(config.uplink().ackTimeoutMillis());
        for (InFlight b : window) {
            if (b.connection == connection && now - b.sentAtNanos > timeout) {
                metrics.ackTimeouts().increment();
                dropConnection("no PUBACK for batch " + b.batchId + " within " + config.uplink().ackTimeoutMillis()
                        + " ms");
                abandon(connection);
                return true;
            }
        }
        return false;
    }

    /**
     * The sends on a connection the gateway closed are given up: their batches are resent on the next
     * connection, and a PUBACK that still slips through on the closing one is ignored (the resend gets
     * the hub's replay answer), so what follows a closed connection does not depend on a race.
     */
    private void abandon(int connection) {
        for (InFlight b : window) {
            if (b.connection == connection) {
                b.connection = 0;
                b.resendAtNanos = 0;
            }
        }
    }

    /**
     * A batch the hub found too large (0x97) is split as with one batch in flight: no new batch is
     * taken while it waits, the others in flight are settled first, then its records go again in
     * halves, one batch at a time, halving again, down to one record, until each part goes through.
     *
     * @return true when the window was emptied to split
     */
    private boolean splitWhenDrained() {
        if (window.isEmpty() || !window.stream().allMatch(b -> b.tooLarge)) {
            return false;
        }
        batchMax = Math.max(1, window.peekFirst().records.size() / 2);
        for (InFlight b : window) {
            splitThrough = Math.max(splitThrough, b.records.lastSeq());
        }
        window.clear();
        batchesInFlight = 0;
        return true;
    }

    /**
     * Sends the batches of the window that are not outstanding on this connection, oldest first: after
     * a reconnect, all of them in outbox order. One that must wait (its backoff after a 0x83) holds
     * back those after it, so the order stays.
     */
    private void resendInOrder(int connection) {
        long now = System.nanoTime();
        // a new connection's Receive Maximum may be lower than the window that was in flight
        int limit = windowLimit();
        int outstanding = (int) window.stream().filter(b -> b.connection == connection).count();
        for (InFlight b : window) {
            if (b.tooLarge || b.connection == connection) {
                continue;
            }
            if (outstanding >= limit || b.resendAtNanos != 0 && now - b.resendAtNanos < 0) {
                return;
            }
            outstanding++;
            if (!publish(b, connection)) {
                return;
            }
        }
    }

    /** Takes the next batches past those in flight, in outbox order, while the window has room. */
    private void fillWindow(int connection) throws InterruptedException {
        while (running && window.size() < windowLimit()) {
            if (window.stream().anyMatch(b -> b.tooLarge || b.waitingToBeSent())) {
                return; // a batch to split or to resend first: the window does not grow meanwhile
            }
            long after;
            if (window.isEmpty()) {
                if (outbox.awaitSize(1, 0) == 0) {
                    return;
                }
                // nothing in flight and a record waiting: give the batch a moment to fill, unless it is
                // full already or holds an alarm (the facility manager should not wait for a linger)
                outbox.awaitSizeOrUrgent(batchMax, config.uplink().lingerMillis(), urgentSent);
                urgentSent = outbox.urgentAppends();
                after = Long.MIN_VALUE; // from the oldest record in the outbox
            } else {
                // batches in flight: only a full batch goes now, or one that holds an alarm; a partial
                // one goes (after its linger) once the window is empty, so a quiet school still sends
                // one batch per linger
                long waiting = outbox.size() - recordsInFlight();
                long urgent = outbox.urgentAppends();
                if (waiting < batchMax && urgent == urgentSent) {
                    return;
                }
                urgentSent = urgent;
                after = window.peekLast().records.lastSeq();
            }
            OutboxBatch peeked = outbox.peekAfter(after, batchMax);
            if (peeked.isEmpty()) {
                return;
            }
            if (splitThrough >= 0 && peeked.firstSeq() > splitThrough) {
                splitThrough = -1;
                batchMax = config.uplink().batchMaxRecords();
                continue; // peek again at the full size
            }
            InFlight b = prepare(peeked);
            if (b == null) {
                continue; // refused before sending
            }
            window.addLast(b);
            batchesInFlight = window.size();
            if (b.tooLarge || !publish(b, connection)) {
                return;
            }
        }
    }

    private long recordsInFlight() {
        long records = 0;
        for (InFlight b : window) {
            records += b.records.size();
        }
        return records;
    }

    /** Waits for an answer from the hub, a resend coming due or an ack timeout, at most {@link #POLL_MILLIS}. */
    private void awaitProgress(int connection) throws InterruptedException {
        if (window.isEmpty()) {
            outbox.awaitSize(1, POLL_MILLIS);
            return;
        }
        long now = System.nanoTime();
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
        long timeout = TimeUnit.MILLISECONDS.toNanos(config.uplink().ackTimeoutMillis());
        for (InFlight b : window) {
            if (b.connection == connection) {
                waitNanos = Math.min(waitNanos, b.sentAtNanos + timeout - now + 1_000_000);
            } else if (b.resendAtNanos != 0) {
                waitNanos = Math.min(waitNanos, b.resendAtNanos - now);
            }
        }
        awaitAnswer(TimeUnit.NANOSECONDS.toMillis(Math.max(0, waitNanos)));
    }

    /**
     * The batch for these records, encoded; null when they cannot form one (moved to the refused
     * batches). A frame too large to encode gives a batch marked too large, split like a 0x97.
     */
    private InFlight prepare(OutboxBatch peeked) {
        String batchId = batchId(config.gatewayId(), peeked.firstSeq(), peeked.lastSeq());
        Batch batch;
        try {
            batch = new Batch(batchId, config.gatewayId(), config.school(), peeked.readings(), peeked.events());
        } catch (IllegalArgumentException e) {
            // records that cannot form a batch (another school's, after a reconfiguration): resending cannot help
            deadLetter(peeked, batchId, "cannot build batch " + batchId + ": " + e.getMessage());
            return null;
        }
        try {
            return new InFlight(peeked, batchId, codec.encode(batch));
        } catch (IllegalArgumentException e) {
            if (peeked.firstSeq() < peeked.lastSeq()) {
                LOG.warn("[uplink: {}] [batch: {}] {}; sending fewer records per batch", config.gatewayId(), batchId,
                        e.getMessage());
                return new InFlight(peeked, batchId, null);
            }
            deadLetter(peeked, batchId, "cannot encode batch " + batchId + ": " + e.getMessage());
            return null;
        }
    }

    private void deadLetter(OutboxBatch peeked, String batchId, String reason) {
        outbox.moveToRefusedBatches(peeked.firstSeq(), peeked.lastSeq(), batchId, batchTopic, reason);
        metrics.batchesRejected().increment();
        LOG.error("[uplink: {}] [batch: {}] {}; {} records moved to the refused batches", config.gatewayId(), batchId,
                reason, peeked.size());
    }

    /**
     * Publishes the batch at QoS 1 on the given connection, if it is still the live one; Paho's
     * answer comes back through {@link #completions}.
     *
     * @return false when it was not sent (the connection is gone, or Paho refused it: resent later)
     */
    private boolean publish(InFlight b, int connection) {
        MqttMessage message = new MqttMessage(b.frame);
        message.setQos(1);
        message.setRetained(false);
        MqttProperties properties = new MqttProperties();
        properties.setContentType(BatchCodec.CONTENT_TYPE);
        message.setProperties(properties);
        long sendId = ++sendCount;
        // under the lock that numbers connections: the send is labelled with the connection it goes on
        synchronized (connectionLock) {
            if (liveConnection != connection) {
                return false;
            }
            b.sendId = sendId;
            b.connection = connection;
            b.sentAtNanos = System.nanoTime();
            b.resendAtNanos = 0;
            try {
                client.publish(batchTopic, message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        completions.add(new Completion(b, sendId, answer(token, null)));
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        completions.add(new Completion(b, sendId, answer(token, failure)));
                    }
                });
                if (b.sends++ > 0) {
                    metrics.batchRetries().increment();
                }
                return true;
            } catch (MqttException | RuntimeException e) {
                // never handed to the connection: not outstanding, so it may go again on this one, after a wait
                b.connection = 0;
                b.resendAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.next());
                rateLimited.warn("publish", "[uplink: {}] [batch: {}] publish failed: {}; will resend",
                        config.gatewayId(), b.batchId, e.getMessage());
                return false;
            }
        }
    }

    /** The hub's PUBACK (reason code and string), or why there is none. Runs on Paho's thread: never throws. */
    private PubackPolicy.Outcome answer(IMqttToken token, Throwable failure) {
        try {
            int[] codes = token == null ? null : token.getReasonCodes();
            if (codes != null && codes.length > 0 && token.getResponse() != null) {
                MqttProperties response = token.getResponseProperties();
                return new PubackPolicy.Outcome.Acked(codes[0], response == null ? null : response.getReasonString());
            }
        } catch (RuntimeException e) {
            // fall through: no usable PUBACK
        }
        String why = failure == null ? "no PUBACK" : String.valueOf(failure.getMessage());
        return new PubackPolicy.Outcome.NoAck(why, !isConnected());
    }

    /** On stop: the batches outstanding get their PUBACK (settled as usual) or the ack timeout runs out. */
    private void finishOutstanding() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.uplink().ackTimeoutMillis());
        try {
            while (liveConnection != 0 && window.stream().anyMatch(b -> b.connection == liveConnection)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                awaitAnswer(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException | RuntimeException e) {
            // stopping: what is not settled stays in the outbox and goes again at the next start
        }
    }

    /** Numbers a connection once it is made (the sender labels its sends with it). */
    private void connectionMade(IMqttToken connectToken) {
        MqttProperties connack = connectToken == null ? null : connectToken.getResponseProperties();
        Integer receiveMaximum = connack == null ? null : connack.getReceiveMaximum();
        // absent in the CONNACK: MQTT 5's default, 65,535
        serverReceiveMaximum = receiveMaximum == null || receiveMaximum < 1 ? 65_535 : receiveMaximum;
        synchronized (connectionLock) {
            if (liveConnection == 0) {
                liveConnection = ++connections;
            }
        }
    }

    /** The live connection has ended (or is being ended): nothing more is sent until the next one is made. */
    private void connectionEnded() {
        synchronized (connectionLock) {
            liveConnection = 0;
        }
    }

    /**
     * Ends the connection (DISCONNECT, then the socket) and lets the ConnectLoop make a new one after
     * its backoff; the window is resent on it. A forced disconnect does not call Paho's
     * {@code disconnected} callback.
     */
    private void dropConnection(String why) {
        connectionEnded();
        LOG.warn("[uplink: {}] {}; closing the connection to {}: the batches without PUBACK are resent on a new one",
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
        counters.put("south_disk_full_waits", (long) metrics.southDiskFullWaits().count());
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
        // dead letters and refused batches trimmed by their bounds: {table}_max_rows / {table}_max_bytes
        outbox.deadLettersTrimmed().forEach((bound, count) -> counters.put("trimmed_" + bound, count));
        counters.putAll(attendance.get().asMap()); // counts only: never a learner or a card
        long now = System.currentTimeMillis();
        HealthReport.Coap coap = new HealthReport.Coap((long) metrics.coapRequests().count(),
                metrics.coapRefusedByReason(), metrics.coapDtlsFailuresByReason(),
                (long) metrics.coapObserveRegistrations().count());
        return new HealthReport(config.gatewayId(), config.school(), GatewayVersion.current(), now,
                (now - startedAt) / 1000, southConnected.getAsBoolean(), isConnected(),
                outbox.size(), outbox.oldestAppendedAt(), outbox.deadLetterCount(), counters,
                metrics.dropsByReason(), metrics.decodeErrorsByCodec(), metrics.unknownDevicesBySource(),
                metrics.devicesLastSeen(), systemStats.read(), desiredConfig.version(), desiredConfig.refusal(),
                outbox.diskFull() ? outbox.diskFullReason() : null, coap, wired.get(),
                new HealthReport.Window(windowLimitNow, batchesInFlight), rules.get());
    }

    /** Lets the health report carry the wired devices' state (the gateway wires it once they run). */
    public void reportWired(Supplier<HealthReport.Wired> wired) {
        this.wired = wired;
    }

    /** Lets the health report carry the school's rules' state (the gateway wires it). */
    public void reportRules(Supplier<HealthReport.Rules> rules) {
        this.rules = rules;
    }

    /** Lets the health report carry attendance's counters (the gateway wires it). */
    public void reportAttendance(Supplier<org.smartschool.gateway.attendance.AttendanceCounters> attendance) {
        this.attendance = attendance;
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
            connectionEnded();
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
     * Stops: no new batch is started; the batches in flight get their PUBACK or time out (up to
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

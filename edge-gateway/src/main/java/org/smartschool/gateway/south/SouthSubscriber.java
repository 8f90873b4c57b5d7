package org.smartschool.gateway.south;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.gateway.mqtt.Backoff;
import org.smartschool.gateway.mqtt.ConnectLoop;
import org.smartschool.gateway.outbox.DiskFullException;
import org.smartschool.gateway.outbox.OutboxClosedException;
import org.smartschool.gateway.outbox.OutboxException;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * The gateway's client on the school's MQTT broker (MQTT 3.1.1, Paho mqttv3).
 *
 * <p>A persistent session (clean session off, a stable client id) makes the broker queue the
 * devices' QoS 1 messages while the gateway is down. Acknowledgements are manual: Paho's callback
 * thread only queues a message, never waiting; one writer thread hands groups of up to
 * {@link #GROUP_MAX} to the {@link MessageIntake} (one outbox transaction: group commit) and
 * acknowledges each only after the intake returned, i.e. after the outbox committed it (or
 * recorded it as a dead letter). A message not acknowledged is redelivered by the broker. While
 * the disk is full the writer keeps retrying and acknowledges nothing: the broker keeps the
 * messages (its in-flight window stops it sending more) and the connection stays up.
 */
public final class SouthSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SouthSubscriber.class);
    /** Device messages committed in one outbox transaction at most (group commit). */
    static final int GROUP_MAX = 1000;
    /** QoS 0 messages waiting for the writer at most; beyond it they are dropped (counted). */
    private static final int QOS0_CAPACITY = 1000;
    /**
     * QoS 1 messages waiting for the writer at most. The broker sends no more than its in-flight
     * window of unacknowledged messages (Mosquitto's max_inflight_messages), so this is reached
     * only with a broker configured without a window; one beyond it is left unacknowledged, and
     * the broker delivers it again on the next connection.
     */
    private static final int QOS1_CAPACITY = 50_000;

    private final String url;
    private final String clientId;
    private final MqttConnectOptions options;
    // replaced whole when the hub's desired configuration changes the routes; guarded by this for changes
    private volatile List<String> filters;
    private final MessageIntake intake;
    private final String name;
    private final GatewayMetrics metrics;
    private final boolean acceptRetained;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 10_000);
    // unbounded as a queue, bounded by the counts below: Paho's callback thread never waits on it
    private final BlockingQueue<Incoming> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waitingQos0 = new AtomicInteger();
    private final AtomicInteger waitingQos1 = new AtomicInteger();
    // QoS 1 messages handed to the writer and not yet acknowledged: while there are none, a flood
    // message may be acknowledged at once without overtaking an earlier one (PUBACKs stay in order)
    private final AtomicInteger unacknowledged = new AtomicInteger();
    // bumped when the connection drops: an ack for a message of an earlier connection is not sent,
    // since the broker redelivers it (same packet id) and may reuse its id for another message
    private final AtomicInteger connection = new AtomicInteger();
    // the connection on which the broker granted the whole filter set; -1 before the first SUBACK
    private volatile int subscribedOn = -1;
    private final Thread writer;
    private MqttAsyncClient client;
    private volatile ConnectLoop connectLoop;
    private final long retryMinMillis;
    private final long retryMaxMillis;
    private volatile boolean stopping;
    private long diskFullSince;
    private final DeviceRateLimiter limiter;
    // when the last connection ended (first: when the gateway last wrote, before this start)
    private volatile long disconnectedAt;

    /**
     * @param filters the MQTT topic filters to subscribe to at QoS 1 (TopicRouter.subscriptions())
     * @param acceptRetained record retained messages the broker replays on every (re)subscription;
     *                       when false they are acknowledged and skipped: an old value would
     *                       otherwise be stamped with the time of the reconnect
     * @param name for threads and logs, e.g. the gateway id
     * @param metrics counts QoS 0 messages dropped while the writer is far behind
     */
    public SouthSubscriber(String url, String clientId, String username, String password, List<String> filters,
                           boolean acceptRetained, MessageIntake intake, String name, GatewayMetrics metrics) {
        this(url, clientId, username, password, filters, acceptRetained, intake, name, metrics, 1000, 30_000);
    }

    /**
     * @param retryMinMillis first wait before reconnecting (south.retryMinMillis)
     * @param retryMaxMillis longest wait between attempts, the cap of the backoff (south.retryMaxMillis)
     */
    public SouthSubscriber(String url, String clientId, String username, String password, List<String> filters,
                           boolean acceptRetained, MessageIntake intake, String name, GatewayMetrics metrics,
                           long retryMinMillis, long retryMaxMillis) {
        this(url, clientId, username, password, filters, acceptRetained, intake, name, metrics, retryMinMillis,
                retryMaxMillis, new DeviceRateLimiter(0), System.currentTimeMillis());
    }

    /**
     * @param limiter how many messages a device may send ({@code south.deviceMaxMessagesPerSecond});
     *                the excess is acknowledged and dropped, counted as {@code device_flood}
     * @param lastAliveMillis when this gateway last took messages before this start (its outbox's last
     *                        write): what the broker queued since is a backlog, not a flood
     */
    public SouthSubscriber(String url, String clientId, String username, String password, List<String> filters,
                           boolean acceptRetained, MessageIntake intake, String name, GatewayMetrics metrics,
                           long retryMinMillis, long retryMaxMillis, DeviceRateLimiter limiter, long lastAliveMillis) {
        this.limiter = limiter;
        this.disconnectedAt = lastAliveMillis;
        this.retryMinMillis = retryMinMillis;
        this.retryMaxMillis = retryMaxMillis;
        this.metrics = metrics;
        this.acceptRetained = acceptRetained;
        this.url = url;
        this.clientId = clientId;
        this.filters = List.copyOf(filters);
        this.intake = intake;
        this.name = name;
        this.options = new MqttConnectOptions();
        options.setCleanSession(false);
        // the ConnectLoop reconnects, with our capped backoff; Paho's own doubling ignores the cap
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        this.writer = new Thread(this::writeLoop, "south-writer " + name);
        this.writer.setDaemon(true);
    }

    /** Starts connecting (in the background, retrying until the broker answers) and the writer. */
    public synchronized void start() {
        if (client != null) {
            throw new IllegalStateException("already started");
        }
        try {
            // the broker keeps the session; Paho needs no file of its own (memory persistence)
            client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("south.url " + url + ": " + e.getMessage(), e);
        }
        client.setManualAcks(true);
        client.setCallback(new Callback());
        writer.start();
        connectLoop = new ConnectLoop("south " + name + " " + url,
                this::connectOnce, new Backoff(retryMinMillis, retryMaxMillis));
        connectLoop.start();
    }

    /**
     * One attempt; a connection an earlier, timed-out attempt completed after all counts as made. An
     * attempt whose CONNACK does not come within the connect timeout is abandoned (its connection
     * closed) so that the next one starts clean: Paho's connection timeout covers the TCP connect only,
     * and a link that stalls after the CONNECT would otherwise hold the attempt until the keep-alive.
     */
    private void connectOnce() throws MqttException {
        if (client.isConnected()) {
            return;
        }
        try {
            client.connect(options).waitForCompletion(options.getConnectionTimeout() * 1_000L);
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT && !client.isConnected()) {
                LOG.info("[south: {}] no CONNACK from {} within {} s; closing that connection and trying again",
                        name, url, options.getConnectionTimeout());
                client.disconnectForcibly(0, 1_000, false);
            }
            throw e;
        }
    }

    public boolean isConnected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    /**
     * Whether the broker has granted this connection's subscriptions: until then a device's message
     * published to a broker that holds no session of ours yet (the first start) reaches nobody.
     */
    public boolean isSubscribed() {
        return isConnected() && subscribedOn == connection.get();
    }

    /** Paho's callbacks: they must never throw (a throw makes Paho drop the connection). */
    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            try {
                // before the broker's first message: what it queued while the gateway was away is no flood
                limiter.credit(System.currentTimeMillis() - disconnectedAt);
                LOG.info("[south: {}] {} to {} as {}; subscribing to {}", name, reconnect ? "reconnected" : "connected",
                        serverUri, clientId, filters);
                subscribe();
            } catch (RuntimeException e) {
                LOG.error("[south: {}] subscribing failed: {}", name, e.toString());
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            disconnectedAt = System.currentTimeMillis();
            connection.incrementAndGet();
            LOG.warn("[south: {}] connection to {} lost: {}; reconnecting", name, url,
                    cause == null ? "unknown cause" : cause.getMessage());
            ConnectLoop loop = connectLoop;
            if (loop != null) {
                loop.connectionLost();
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (stopping) {
                return; // not acknowledged: the broker delivers it again after the restart
            }
            // never waits: a Paho callback that blocks stops Paho reading the socket, the keep-alive
            // expires and the broker drops the session with the messages it still held
            try {
                if (topic.endsWith(ReaderAnswer.SUFFIX) && intake.deviceOf(topic) == null) {
                    // our own answer to a door reader, seen again through a wide subscription: not a device's message
                    if (message.getQos() > 0) {
                        acknowledgeFlood(message);
                    }
                    return;
                }
                if (flooding(topic)) {
                    if (message.getQos() > 0) {
                        acknowledgeFlood(message);
                    }
                    return;
                }
                RawMessage raw = new RawMessage(topic, null, message.getPayload(), System.currentTimeMillis());
                Incoming incoming = new Incoming(raw, message.getId(), message.getQos(), message.isDuplicate(),
                        connection.get(), message.isRetained() && !acceptRetained);
                if (message.getQos() == 0) {
                    // nobody waits for a QoS 0 message: when the writer is far behind (a full outbox or
                    // disk), dropping it (counted) beats holding the heap
                    if (waitingQos0.incrementAndGet() > QOS0_CAPACITY) {
                        waitingQos0.decrementAndGet();
                        metrics.southDropped().increment();
                        rateLimited.warn("dropped", "[south: {}] writer behind: QoS 0 message of {} dropped", name,
                                MessageIntake.printable(topic));
                        return;
                    }
                } else if (waitingQos1.incrementAndGet() > QOS1_CAPACITY) {
                    waitingQos1.decrementAndGet();
                    rateLimited.warn("qos1-behind", "[south: {}] writer behind: QoS 1 message of {} left "
                            + "unacknowledged; the broker delivers it again on the next connection", name,
                            MessageIntake.printable(topic));
                    return;
                }
                if (message.getQos() > 0) {
                    unacknowledged.incrementAndGet();
                }
                queue.add(incoming);
            } catch (RuntimeException e) {
                LOG.error("[south: {}] cannot queue a message of topic {}: {}", name,
                        MessageIntake.printable(topic), e.toString());
            }
        }

        /**
         * A flood message is never recorded. It is acknowledged here, at once, when no earlier message
         * waits for its PUBACK (MQTT 3.1.1 wants PUBACKs in the order of the PUBLISHes): the broker sends
         * at most its in-flight window of unacknowledged messages, and a flood waiting for the writer's
         * commits fills the broker's queue for this gateway, delaying (or, past max_queued_messages,
         * losing) the other devices' messages. Otherwise the writer acknowledges it in its turn.
         */
        private void acknowledgeFlood(MqttMessage message) {
            if (unacknowledged.get() == 0) {
                try {
                    client.messageArrivedComplete(message.getId(), message.getQos());
                } catch (MqttException e) {
                    LOG.debug("[south: {}] ack of a flood message not sent ({}); the broker will redeliver it",
                            name, e.getMessage());
                }
                return;
            }
            if (waitingQos1.incrementAndGet() > QOS1_CAPACITY) {
                waitingQos1.decrementAndGet(); // left unacknowledged: the broker delivers it again
                return;
            }
            unacknowledged.incrementAndGet();
            queue.add(new Incoming(null, message.getId(), message.getQos(), false, connection.get(), true));
        }

        /**
         * Whether the topic's device sends more than it may: counted, logged at most every 10 s. Runs
         * here, before the writer's queue, so a flood costs a route lookup and an ack, no disk.
         */
        private boolean flooding(String topic) {
            String device = intake.deviceOf(topic);
            String key = device == null ? "unknown" : device;
            if (limiter.tryAcquire(key)) {
                return false;
            }
            metrics.deviceFlood(key);
            rateLimited.warn("device-flood", "[south: {}] device {} sends more than {} messages/s: the excess is "
                    + "acknowledged and dropped (device_flood in health)", name,
                    device == null ? "unknown (topic " + MessageIntake.printable(topic) + ")" : device, limiter.perSecond());
            return true;
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // only answers to door readers, at QoS 0: nothing to follow up
        }
    }

    /**
     * Changes the subscriptions to {@code next} on the running connection: subscribes to the new
     * filters, then unsubscribes from those no longer wanted (so a filter kept loses nothing). Not
     * connected: the next connection subscribes to {@code next}. The broker's persistent session may
     * still hold messages of a removed filter queued while the gateway was down; they arrive and are
     * counted as unknown devices, like any topic no route maps.
     */
    public synchronized void resubscribe(List<String> next) {
        List<String> previous = filters;
        filters = List.copyOf(next);
        List<String> added = filters.stream().filter(f -> !previous.contains(f)).toList();
        List<String> removed = previous.stream().filter(f -> !filters.contains(f)).toList();
        LOG.info("[south: {}] subscriptions changed: + {} - {}", name, added, removed);
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return;
        }
        if (!added.isEmpty()) {
            subscribe(added);
        }
        if (!removed.isEmpty()) {
            try {
                c.unsubscribe(removed.toArray(String[]::new), null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        LOG.debug("[south: {}] unsubscribed from {}", name, removed);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        LOG.error("[south: {}] unsubscribing from {} failed: {}", name, removed, e.getMessage());
                    }
                });
            } catch (MqttException e) {
                LOG.error("[south: {}] unsubscribing from {} failed: {}", name, removed, e.getMessage());
            }
        }
    }

    /** The filters the subscriber holds (or will hold once connected). */
    public List<String> subscriptions() {
        return filters;
    }

    private void subscribe() {
        subscribe(filters, connection.get());
    }

    private void subscribe(List<String> filters) {
        subscribe(filters, -1);
    }

    /** Subscribes to {@code filters}; {@code onConnection} >= 0 marks the whole set, granted on that connection. */
    private void subscribe(List<String> filters, int onConnection) {
        if (filters.isEmpty()) {
            LOG.warn("[south: {}] no routes configured: subscribing to nothing", name);
            if (onConnection >= 0) {
                subscribedOn = onConnection; // nothing to wait for
            }
            return;
        }
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(filters.toArray(String[]::new), qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    for (int i = 0; granted != null && i < granted.length && i < filters.size(); i++) {
                        if (granted[i] == 0x80) {
                            LOG.error("[south: {}] the broker refused the subscription to {}", name, filters.get(i));
                        }
                    }
                    if (onConnection >= 0) {
                        subscribedOn = onConnection;
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.error("[south: {}] subscribing to {} failed: {}", name, filters, e.getMessage());
                }
            });
        } catch (MqttException e) {
            LOG.error("[south: {}] subscribing to {} failed: {}", name, filters, e.getMessage());
        }
    }

    private void writeLoop() {
        // a full disk is retried often enough to resume within seconds once space returns
        Backoff retry = new Backoff(500, 5_000);
        List<Incoming> group = new ArrayList<>(GROUP_MAX);
        try {
            while (true) {
                Incoming first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                group.clear();
                group.add(first);
                queue.drainTo(group, GROUP_MAX - 1);
                for (Incoming incoming : group) {
                    (incoming.qos() == 0 ? waitingQos0 : waitingQos1).decrementAndGet();
                }
                List<Delivery> messages = group.stream().filter(i -> !i.skip())
                        .map(i -> new Delivery(i.message(), Integer.toString(i.id()), i.duplicate())).toList();
                long skipped = group.stream().filter(i -> i.skip() && i.message() != null).count(); // floods: counted already
                if (skipped > 0) {
                    metrics.southRetainedSkipped().increment(skipped);
                }
                while (!messages.isEmpty() && !record(messages)) {
                    Thread.sleep(retry.next());
                }
                retry.reset();
                acknowledge(group);
            }
        } catch (InterruptedException | OutboxClosedException e) {
            LOG.debug("[south: {}] writer stopped; unacknowledged messages stay with the broker", name);
        }
    }

    /** @return false when the outbox failed and the group must be tried again */
    private boolean record(List<Delivery> messages) throws InterruptedException {
        try {
            List<ReaderAnswer> answers = intake.acceptDeliveries(messages);
            if (!answers.isEmpty()) {
                answer(answers);
            }
            if (diskFullSince > 0) {
                LOG.info("[south: {}] disk space is back after {} s: device messages are taken again", name,
                        (System.currentTimeMillis() - diskFullSince) / 1000);
                diskFullSince = 0;
            }
            return true;
        } catch (DiskFullException e) {
            metrics.southDiskFullWaits().increment();
            if (diskFullSince == 0) {
                diskFullSince = System.currentTimeMillis();
            }
            rateLimited.warn("disk-full", "[south: {}] disk full: {} device messages stay unacknowledged at the "
                    + "broker until space returns ({})", name, messages.size() + queue.size(), e.getMessage());
            return false;
        } catch (OutboxException e) {
            LOG.error("[south: {}] cannot write {} messages to the outbox: {}; retrying", name, messages.size(), e.getMessage());
            return false;
        } catch (OutboxClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            // a bug, not bad input (the intake contains that): keep the messages unacknowledged and retry
            LOG.error("[south: {}] recording {} messages failed; retrying", name, messages.size(), e);
            return false;
        }
    }

    /**
     * Tells each door reader what became of its tap, on {@code <tap topic>/answer} at QoS 0 (a late answer
     * is worth nothing: the person has gone). Never waits: Paho sends it from its own thread.
     */
    private void answer(List<ReaderAnswer> answers) {
        MqttAsyncClient c = client;
        for (ReaderAnswer a : answers) {
            try {
                if (c != null && c.isConnected()) {
                    c.publish(a.answerTopic(), a.answer().json(), 0, false);
                    metrics.readerAnswers().increment();
                }
            } catch (MqttException | RuntimeException e) {
                rateLimited.warn("answer", "[south: {}] answer to a door reader not sent: {}", name, e.getMessage());
            }
        }
    }

    private void acknowledge(List<Incoming> group) {
        int current = connection.get();
        for (Incoming incoming : group) {
            if (incoming.qos() == 0) {
                continue;
            }
            try {
                if (incoming.connection() == current) {
                    client.messageArrivedComplete(incoming.id(), incoming.qos());
                }
            } catch (MqttException | RuntimeException e) {
                LOG.debug("[south: {}] ack of message {} not sent ({}); the broker will redeliver it",
                        name, incoming.id(), e.getMessage());
            } finally {
                unacknowledged.decrementAndGet();
            }
        }
    }

    /**
     * Stops taking messages, lets the writer record what it already holds (a few seconds at most),
     * then disconnects. The broker keeps the session and every message not acknowledged.
     */
    @Override
    public synchronized void close() {
        if (client == null || stopping) {
            return;
        }
        stopping = true;
        connectLoop.stop();
        try {
            writer.join(5_000);
            if (writer.isAlive()) {
                writer.interrupt(); // waiting for room in a full outbox: give up, nothing acknowledged is lost
                writer.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("[south: {}] disconnect: {}", name, e.getMessage());
            try {
                client.disconnectForcibly(0, 1_000, false);
            } catch (MqttException ignored) {
                // already gone
            }
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("[south: {}] close: {}", name, e.getMessage());
        }
        LOG.info("[south: {}] stopped", name);
    }

    /**
     * @param duplicate the MQTT DUP flag: the broker may have delivered it before
     * @param skip a retained message replayed by the broker on subscribing, or (message null) a
     *             device's flood: acknowledged, not recorded
     */
    private record Incoming(RawMessage message, int id, int qos, boolean duplicate, int connection, boolean skip) {
    }
}

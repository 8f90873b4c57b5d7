package org.smartschool.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.routing.TopicRoute;

/**
 * Everything one edge gateway needs to run, loaded by {@link GatewayConfigLoader}.
 *
 * <p>Every option has a default ({@link #defaults()}); each record checks its values in its
 * constructor and names the bad key in its message. A section left empty in the file keeps its
 * defaults.
 *
 * @param gatewayId this gateway's id; also its MQTT username towards the hub. Any valid id (up to
 *                  64 characters): batch ids ({@code {gatewayId}-{firstSeq}-{lastSeq}}) may be 128
 * @param school the school this gateway serves; every record it sends belongs to it
 * @param wired devices wired to the Pi's pins (GPIO, I2C, UART), off by default
 * @param coap CoAP devices (server and observations), see {@link CoapSettings}
 * @param metrics the optional local Prometheus endpoint, off by default
 * @param rules the school's rules ({@link RulesSettings}): the defaults of DESIGN.md unless changed
 */
public record GatewayConfig(String gatewayId, String school, SouthSettings south, NorthSettings north,
                            OutboxSettings outbox, UplinkSettings uplink, WiredSettings wired, CoapSettings coap,
                            MetricsSettings metrics, RulesSettings rules) {

    private static final Set<String> MQTT_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    public GatewayConfig {
        requireId("gatewayId", "gateway", gatewayId);
        requireId("school", "school", school);
        south = south != null ? south : SouthSettings.defaults();
        north = north != null ? north : NorthSettings.defaults();
        outbox = outbox != null ? outbox : OutboxSettings.defaults();
        uplink = uplink != null ? uplink : UplinkSettings.defaults();
        wired = wired != null ? wired : WiredSettings.defaults();
        coap = coap != null ? coap : CoapSettings.defaults();
        metrics = metrics != null ? metrics : MetricsSettings.defaults();
        rules = rules != null ? rules : RulesSettings.defaults();
    }

    /** With the default school rules. */
    public GatewayConfig(String gatewayId, String school, SouthSettings south, NorthSettings north,
                         OutboxSettings outbox, UplinkSettings uplink, WiredSettings wired, CoapSettings coap,
                         MetricsSettings metrics) {
        this(gatewayId, school, south, north, outbox, uplink, wired, coap, metrics, null);
    }

    /** Without wired and CoAP devices (their defaults: off) and without a local metrics endpoint. */
    public GatewayConfig(String gatewayId, String school, SouthSettings south, NorthSettings north,
                         OutboxSettings outbox, UplinkSettings uplink) {
        this(gatewayId, school, south, north, outbox, uplink, null, null, null, null);
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig("gateway-1", "school-1", SouthSettings.defaults(), NorthSettings.defaults(),
                OutboxSettings.defaults(), UplinkSettings.defaults(), WiredSettings.defaults(), CoapSettings.defaults(),
                MetricsSettings.defaults(), RulesSettings.defaults());
    }

    /** The south client id: the configured one, else one derived from the gateway id (stable across restarts). */
    public String southClientId() {
        return south.clientId() != null ? south.clientId() : "ss-gateway-" + gatewayId;
    }

    public GatewayConfig withSouth(SouthSettings value) {
        return new GatewayConfig(gatewayId, school, value, north, outbox, uplink, wired, coap, metrics, rules);
    }

    public GatewayConfig withNorth(NorthSettings value) {
        return new GatewayConfig(gatewayId, school, south, value, outbox, uplink, wired, coap, metrics, rules);
    }

    public GatewayConfig withOutbox(OutboxSettings value) {
        return new GatewayConfig(gatewayId, school, south, north, value, uplink, wired, coap, metrics, rules);
    }

    public GatewayConfig withUplink(UplinkSettings value) {
        return new GatewayConfig(gatewayId, school, south, north, outbox, value, wired, coap, metrics, rules);
    }

    public GatewayConfig withWired(WiredSettings value) {
        return new GatewayConfig(gatewayId, school, south, north, outbox, uplink, value, coap, metrics, rules);
    }

    public GatewayConfig withRules(RulesSettings value) {
        return new GatewayConfig(gatewayId, school, south, north, outbox, uplink, wired, coap, metrics, value);
    }

    public GatewayConfig withCoap(CoapSettings value) {
        return new GatewayConfig(gatewayId, school, south, north, outbox, uplink, wired, value, metrics, rules);
    }

    /**
     * The school's MQTT broker, where the devices publish (MQTT 3.1.1).
     *
     * @param clientId stable client id, so the broker keeps the gateway's session and queues QoS 1
     *                 messages while it is down; null derives one from the gateway id
     * @param username null for an anonymous broker
     * @param routes which topics carry which devices and which codec decodes them
     * @param maxPayloadBytes larger device messages are dead-lettered without decoding
     * @param acceptRetained whether to record retained messages, which the broker replays on every
     *                       (re)subscription: off by default, since a replayed old value would be
     *                       stamped with the time of the replay
     * @param retryMinMillis first wait before reconnecting to the broker
     * @param retryMaxMillis longest wait between reconnection attempts (exponential, full jitter, capped here)
     * @param deviceMaxMessagesPerSecond messages one device may send per second on average (a burst of
     *                       10 s worth is allowed); more are acknowledged to the broker but dropped, counted
     *                       as {@code device_flood}, so that a flooding device cannot hold up the others.
     *                       What the broker queued while the gateway was away is not held against it.
     *                       0 turns the limit off
     */
    public record SouthSettings(String url, String clientId, String username, String password, List<TopicRoute> routes,
                                int maxPayloadBytes, boolean acceptRetained, long retryMinMillis, long retryMaxMillis,
                                int deviceMaxMessagesPerSecond) {
        /** A real sensor sends every few seconds; a door reader a few times a second at most. */
        public static final int DEFAULT_DEVICE_MAX_MESSAGES_PER_SECOND = 50;

        public SouthSettings(String url, String clientId, String username, String password, List<TopicRoute> routes,
                             int maxPayloadBytes, boolean acceptRetained) {
            this(url, clientId, username, password, routes, maxPayloadBytes, acceptRetained, 1000, 30_000);
        }

        public SouthSettings(String url, String clientId, String username, String password, List<TopicRoute> routes,
                             int maxPayloadBytes, boolean acceptRetained, long retryMinMillis, long retryMaxMillis) {
            this(url, clientId, username, password, routes, maxPayloadBytes, acceptRetained, retryMinMillis,
                    retryMaxMillis, DEFAULT_DEVICE_MAX_MESSAGES_PER_SECOND);
        }

        public SouthSettings {
            requireMqttUrl("south.url", url);
            if (clientId != null && (clientId.isBlank() || clientId.length() > 128)) {
                throw new IllegalArgumentException("south.clientId must be 1-128 characters when set");
            }
            routes = routes == null ? List.of() : List.copyOf(routes);
            if (maxPayloadBytes < 16 || maxPayloadBytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("south.maxPayloadBytes must be between 16 and 16777216: " + maxPayloadBytes);
            }
            requireRetry("south", retryMinMillis, retryMaxMillis);
            if (deviceMaxMessagesPerSecond < 0 || deviceMaxMessagesPerSecond > 100_000) {
                throw new IllegalArgumentException("south.deviceMaxMessagesPerSecond must be between 0 (no limit) and 100000: "
                        + deviceMaxMessagesPerSecond);
            }
        }

        public static SouthSettings defaults() {
            return new SouthSettings("tcp://127.0.0.1:1883", null, null, null,
                    List.of(new TopicRoute("zigbee2mqtt/{room}/{device}/availability", "zigbee2mqtt"),
                            new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt")),
                    64 * 1024, false);
        }

        public SouthSettings withClientId(String value) {
            return new SouthSettings(url, value, username, password, routes, maxPayloadBytes, acceptRetained,
                    retryMinMillis, retryMaxMillis, deviceMaxMessagesPerSecond);
        }

        public SouthSettings withUrl(String value) {
            return new SouthSettings(value, clientId, username, password, routes, maxPayloadBytes, acceptRetained,
                    retryMinMillis, retryMaxMillis, deviceMaxMessagesPerSecond);
        }

        public SouthSettings withAcceptRetained(boolean value) {
            return new SouthSettings(url, clientId, username, password, routes, maxPayloadBytes, value,
                    retryMinMillis, retryMaxMillis, deviceMaxMessagesPerSecond);
        }

        public SouthSettings withRoutes(List<TopicRoute> value) {
            return new SouthSettings(url, clientId, username, password, value, maxPayloadBytes, acceptRetained,
                    retryMinMillis, retryMaxMillis, deviceMaxMessagesPerSecond);
        }

        public SouthSettings withRetry(long minMillis, long maxMillis) {
            return new SouthSettings(url, clientId, username, password, routes, maxPayloadBytes, acceptRetained,
                    minMillis, maxMillis, deviceMaxMessagesPerSecond);
        }

        public SouthSettings withDeviceMaxMessagesPerSecond(int value) {
            return new SouthSettings(url, clientId, username, password, routes, maxPayloadBytes, acceptRetained,
                    retryMinMillis, retryMaxMillis, value);
        }

        @Override
        public String toString() {
            return "SouthSettings[url=" + url + ", clientId=" + clientId + ", username=" + username
                    + ", password=" + (password == null ? "null" : "***") + ", routes=" + routes
                    + ", maxPayloadBytes=" + maxPayloadBytes + ", acceptRetained=" + acceptRetained
                    + ", retryMinMillis=" + retryMinMillis + ", retryMaxMillis=" + retryMaxMillis
                    + ", deviceMaxMessagesPerSecond=" + deviceMaxMessagesPerSecond + "]";
        }
    }

    /**
     * The hub's MQTT 5 endpoint. The gateway logs in with its id as username and this password.
     *
     * @param url {@code ssl://hub:8883} in a school (the hub's certificate verified, its host name
     *            checked); {@code tcp://} only for tests and the demo
     * @param password the gateway's secret, as registered at the hub
     * @param caFile PEM file of the certificate(s) the hub's certificate must chain to; null trusts
     *               the JVM's default trust store. Only with an {@code ssl://} url: a CA file with a
     *               plain url would promise a verification that never happens
     */
    public record NorthSettings(String url, String password, String caFile) {
        public NorthSettings {
            requireMqttUrl("north.url", url);
            if (caFile != null && caFile.isBlank()) {
                caFile = null;
            }
            if (caFile != null && !(url.startsWith("ssl://") || url.startsWith("wss://"))) {
                throw new IllegalArgumentException("north.caFile is set but north.url " + url
                        + " is not TLS: use ssl://host:8883, or remove north.caFile");
            }
        }

        /** Plain or with the JVM's default trust store, as the url says. */
        public NorthSettings(String url, String password) {
            this(url, password, null);
        }

        public static NorthSettings defaults() {
            return new NorthSettings("tcp://127.0.0.1:1884", null, null);
        }

        public boolean tls() {
            return url.startsWith("ssl://") || url.startsWith("wss://");
        }

        @Override
        public String toString() {
            return "NorthSettings[url=" + url + ", password=" + (password == null ? "null" : "***")
                    + ", caFile=" + caFile + "]";
        }
    }

    /**
     * The durable outbox and its overflow policy (edge-gateway/README.md, "When the outbox is full").
     *
     * @param path the SQLite file; relative paths are relative to the working directory
     * @param maxRecords records waiting for the hub at most
     * @param maxBytes bytes the waiting records may take at most (their stored rows plus 40 bytes a row)
     * @param maxDeadLetters undecodable or unknown device frames kept (newest kept)
     * @param maxRefusedBatches batches the hub refused kept (newest kept), apart from device frames
     * @param minFreeBytes device messages are not taken while the disk has less free space than this
     * @param reserveBytes a file of this size next to the outbox, given up when a delete finds the disk full
     * @param redeliveryWindowMillis how long a device frame stamped with its receive time is
     *                               remembered, so that a redelivery of it is not recorded twice
     * @param maxDeadLetterBytes bytes each of the two dead-letter tables (device frames; refused
     *                           batches) may hold, on its own, besides its bound in rows
     */
    public record OutboxSettings(String path, long maxRecords, long maxBytes, int maxDeadLetters,
                                 int maxRefusedBatches, long minFreeBytes, long reserveBytes,
                                 long redeliveryWindowMillis, long maxDeadLetterBytes) {
        public OutboxSettings {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("outbox.path is missing");
            }
            if (maxRecords < 1) {
                throw new IllegalArgumentException("outbox.maxRecords must be at least 1: " + maxRecords);
            }
            if (maxBytes < 1024) {
                throw new IllegalArgumentException("outbox.maxBytes must be at least 1024: " + maxBytes);
            }
            if (maxDeadLetters < 1) {
                throw new IllegalArgumentException("outbox.maxDeadLetters must be at least 1: " + maxDeadLetters);
            }
            if (maxRefusedBatches < 1) {
                throw new IllegalArgumentException("outbox.maxRefusedBatches must be at least 1: " + maxRefusedBatches);
            }
            if (minFreeBytes < 0) {
                throw new IllegalArgumentException("outbox.minFreeBytes must not be negative: " + minFreeBytes);
            }
            if (reserveBytes < 0) {
                throw new IllegalArgumentException("outbox.reserveBytes must not be negative: " + reserveBytes);
            }
            if (redeliveryWindowMillis < 0 || redeliveryWindowMillis > 86_400_000) {
                throw new IllegalArgumentException("outbox.redeliveryWindowMillis must be between 0 and 86400000: "
                        + redeliveryWindowMillis);
            }
            if (maxDeadLetterBytes < 1024) {
                throw new IllegalArgumentException("outbox.maxDeadLetterBytes must be at least 1024: " + maxDeadLetterBytes);
            }
        }

        /** Every option but the dead letters' byte bound, which takes its default (50 MB). */
        public OutboxSettings(String path, long maxRecords, long maxBytes, int maxDeadLetters, int maxRefusedBatches,
                              long minFreeBytes, long reserveBytes, long redeliveryWindowMillis) {
            this(path, maxRecords, maxBytes, maxDeadLetters, maxRefusedBatches, minFreeBytes, reserveBytes,
                    redeliveryWindowMillis, DEFAULT_MAX_DEAD_LETTER_BYTES);
        }

        /** The path and the two original bounds; every other option at its default. */
        public OutboxSettings(String path, long maxRecords, int maxDeadLetters) {
            this(path, maxRecords, DEFAULT_MAX_BYTES, maxDeadLetters, 1_000, 64L << 20, 4L << 20, 600_000);
        }

        private static final long DEFAULT_MAX_BYTES = 1L << 30;
        private static final long DEFAULT_MAX_DEAD_LETTER_BYTES = 50L << 20;

        public static OutboxSettings defaults() {
            return new OutboxSettings("gateway-outbox.db", 3_000_000, 10_000);
        }

        public OutboxSettings withPath(String value) {
            return new OutboxSettings(value, maxRecords, maxBytes, maxDeadLetters, maxRefusedBatches, minFreeBytes,
                    reserveBytes, redeliveryWindowMillis, maxDeadLetterBytes);
        }

        public OutboxSettings withDisk(long minFree, long reserve) {
            return new OutboxSettings(path, maxRecords, maxBytes, maxDeadLetters, maxRefusedBatches, minFree,
                    reserve, redeliveryWindowMillis, maxDeadLetterBytes);
        }
    }

    /**
     * @param batchMaxRecords records per batch at most
     * @param lingerMillis how long to wait for a batch to fill once a record is waiting
     * @param retryMinMillis first wait before resending a batch the hub did not take
     * @param retryMaxMillis longest wait between resends (the wait doubles up to it)
     * @param healthIntervalMillis how often to publish the health report
     * @param ackTimeoutMillis how long to wait for the hub's PUBACK before resending
     * @param windowBatches batches sent and not yet acknowledged at most (the uplink's window); the
     *                      hub's Receive Maximum (CONNACK) lowers it further when smaller
     */
    public record UplinkSettings(int batchMaxRecords, long lingerMillis, long retryMinMillis, long retryMaxMillis,
                                 long healthIntervalMillis, long ackTimeoutMillis, int windowBatches) {
        /**
         * Records per batch by default: batches of 500 replayed a day's outage at ~27,000 readings/s with
         * the default window, 2,000 at 65,000-73,000 (issue 6 asks 50,000; README performance table);
         * a live school sends ~28 per linger, so only a backlog fills them.
         */
        public static final int DEFAULT_BATCH_MAX_RECORDS = 2_000;
        /** The default window when none is given: replay over a link with latency, memory still small. */
        public static final int DEFAULT_WINDOW_BATCHES = 4;
        /** A window beyond this holds much in memory and gains nothing (the hub's Receive Maximum is 16). */
        public static final int MAX_WINDOW_BATCHES = 64;

        public UplinkSettings {
            if (batchMaxRecords < 1 || batchMaxRecords > 50_000) {
                throw new IllegalArgumentException("uplink.batchMaxRecords must be between 1 and 50000: " + batchMaxRecords);
            }
            if (lingerMillis < 0 || lingerMillis > 600_000) {
                throw new IllegalArgumentException("uplink.lingerMillis must be between 0 and 600000: " + lingerMillis);
            }
            requireRetry("uplink", retryMinMillis, retryMaxMillis);
            if (healthIntervalMillis < 100) {
                throw new IllegalArgumentException("uplink.healthIntervalMillis must be at least 100: " + healthIntervalMillis);
            }
            if (ackTimeoutMillis < 100) {
                throw new IllegalArgumentException("uplink.ackTimeoutMillis must be at least 100: " + ackTimeoutMillis);
            }
            if (windowBatches < 1 || windowBatches > MAX_WINDOW_BATCHES) {
                throw new IllegalArgumentException("uplink.windowBatches must be between 1 and " + MAX_WINDOW_BATCHES
                        + ": " + windowBatches);
            }
        }

        /** With the default window ({@value #DEFAULT_WINDOW_BATCHES} batches). */
        public UplinkSettings(int batchMaxRecords, long lingerMillis, long retryMinMillis, long retryMaxMillis,
                              long healthIntervalMillis, long ackTimeoutMillis) {
            this(batchMaxRecords, lingerMillis, retryMinMillis, retryMaxMillis, healthIntervalMillis, ackTimeoutMillis,
                    DEFAULT_WINDOW_BATCHES);
        }

        public static UplinkSettings defaults() {
            return new UplinkSettings(DEFAULT_BATCH_MAX_RECORDS, 1000, 1000, 60_000, 30_000, 30_000, DEFAULT_WINDOW_BATCHES);
        }

        public UplinkSettings withWindowBatches(int value) {
            return new UplinkSettings(batchMaxRecords, lingerMillis, retryMinMillis, retryMaxMillis, healthIntervalMillis,
                    ackTimeoutMillis, value);
        }
    }

    public GatewayConfig withMetrics(MetricsSettings value) {
        return new GatewayConfig(gatewayId, school, south, north, outbox, uplink, wired, coap, value, rules);
    }

    /**
     * A local Prometheus endpoint, {@code GET http://host:port/metrics}, for a monitoring agent on the
     * Pi. Off unless a port is set; loopback unless told otherwise (the counters are no secret, but
     * nothing on the school's network needs them).
     *
     * @param port 0 (the default) turns it off
     */
    public record MetricsSettings(String host, int port) {
        public MetricsSettings {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("metrics.host must name an address to listen on, e.g. 127.0.0.1");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("metrics.port must be 1-65535, or 0 for no metrics endpoint: " + port);
            }
        }

        public static MetricsSettings defaults() {
            return new MetricsSettings("127.0.0.1", 0);
        }

        public boolean enabled() {
            return port > 0;
        }
    }

    /** The backoff's bounds: a cap below the minimum, or above an hour (a school offline all day), is a typo. */
    private static void requireRetry(String section, long retryMinMillis, long retryMaxMillis) {
        if (retryMinMillis < 10) {
            throw new IllegalArgumentException(section + ".retryMinMillis must be at least 10: " + retryMinMillis);
        }
        if (retryMaxMillis < retryMinMillis) {
            throw new IllegalArgumentException(section + ".retryMaxMillis (" + retryMaxMillis
                    + ") must be at least " + section + ".retryMinMillis (" + retryMinMillis + ")");
        }
        if (retryMaxMillis > 3_600_000) {
            throw new IllegalArgumentException(section + ".retryMaxMillis must be at most 3600000 (an hour): " + retryMaxMillis);
        }
    }

    private static void requireId(String key, String kind, String value) {
        try {
            Ids.require(kind, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static void requireMqttUrl(String key, String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(key + " is missing");
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !MQTT_SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(key + " must look like tcp://host:port or ssl://host:port: " + url);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a URL: " + url, e);
        }
    }
}

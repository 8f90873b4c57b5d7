package org.smartschool.hub.config;

import java.util.Objects;

import org.smartschool.bridge.uplink.BatchCodec;

/**
 * The MQTT endpoint that gateways connect to (docs/protocol.md).
 *
 * @param port            0 picks a free port (tests, the demo)
 * @param maxMessageBytes the largest batch payload accepted, at most the batch frame limit
 *                        ({@link BatchCodec#MAX_FRAME_BYTES}); a larger one is refused with PUBACK 0x97 (the gateway
 *                        splits it), and a packet over {@link #maxPacketBytes()} ends the connection with DISCONNECT 0x95
 * @param receiveMaximum  unacknowledged QoS 1 batches one gateway connection may have (MQTT 5 Receive Maximum,
 *                        sent in CONNACK); one more is a protocol error answered with DISCONNECT 0x93
 * @param decodeThreads   worker threads that decode batch frames (CPU), shared by all gateways
 * @param storeThreads    worker threads that write batches and health reports to the store, shared by all gateways;
 *                        HTTP reads have their own ({@link HttpConfig#readThreads()})
 * @param rateLimit       readings per second one gateway may send
 * @param takeover        the defence against two devices using one gateway id
 * @param tls             certificate and key; plain TCP when not configured
 */
public record MqttConfig(String host, int port, int maxMessageBytes, int receiveMaximum, int decodeThreads,
                         int storeThreads, RateLimitConfig rateLimit, TakeoverConfig takeover, TlsConfig tls) {
    public static final int ONE_MIB = 1024 * 1024;
    /** Larger frames would be refused by the batch codec anyway. */
    public static final int MAX_MESSAGE_BYTES_LIMIT = BatchCodec.MAX_FRAME_BYTES;
    /** The largest Receive Maximum MQTT 5 allows. */
    public static final int RECEIVE_MAXIMUM_LIMIT = 65_535;
    public static final int DEFAULT_RECEIVE_MAXIMUM = 16;
    public static final int DEFAULT_DECODE_THREADS = 2;
    /**
     * Store calls block on I/O (an InfluxDB request, an SQLite commit). With InfluxDB the batches that wait at
     * one moment go out in one request (group commit), so more waiting threads make fewer, larger writes
     * (ingest benchmark, README "Performance"). 96 rather than 32: with 32, a third of loadgen's 80 batches in
     * flight waited in the pool's queue instead of joining a write (306,000-361,000 readings/s with 96 against
     * 231,000-239,000 with 32, same machine and hour).
     */
    public static final int DEFAULT_STORE_THREADS = 96;
    public static final MqttConfig DEFAULT = new MqttConfig("0.0.0.0", 1884, ONE_MIB);
    private static final int MQTT_MAX_PACKET = 268_435_455;

    public MqttConfig {
        host = Ports.requireHost("mqtt.host", host);
        Ports.require("mqtt.port", port);
        if (maxMessageBytes < 1024 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("mqtt.maxMessageBytes must be between 1024 and "
                    + MAX_MESSAGE_BYTES_LIMIT + ": " + maxMessageBytes);
        }
        if (receiveMaximum < 1 || receiveMaximum > RECEIVE_MAXIMUM_LIMIT) {
            throw new IllegalArgumentException("mqtt.receiveMaximum must be between 1 and " + RECEIVE_MAXIMUM_LIMIT
                    + ": " + receiveMaximum);
        }
        requireThreads("mqtt.decodeThreads", decodeThreads);
        requireThreads("mqtt.storeThreads", storeThreads);
        rateLimit = Objects.requireNonNullElse(rateLimit, RateLimitConfig.DEFAULT);
        takeover = Objects.requireNonNullElse(takeover, TakeoverConfig.DEFAULT);
        tls = Objects.requireNonNullElse(tls, TlsConfig.NONE);
    }

    /** Defaults for everything but where to listen and the batch limit. */
    public MqttConfig(String host, int port, int maxMessageBytes) {
        this(host, port, maxMessageBytes, DEFAULT_RECEIVE_MAXIMUM, DEFAULT_DECODE_THREADS, DEFAULT_STORE_THREADS,
                RateLimitConfig.DEFAULT, TakeoverConfig.DEFAULT, TlsConfig.NONE);
    }

    /**
     * The Maximum Packet Size sent in CONNACK: twice the batch limit plus 64 KiB for topic and properties.
     * A payload between {@link #maxMessageBytes} and this still reaches the hub's size check and gets PUBACK
     * 0x97, so that the gateway learns to split; a larger packet gets DISCONNECT 0x95 without being read.
     */
    public int maxPacketBytes() {
        long limit = 2L * maxMessageBytes + 64 * 1024;
        return (int) Math.min(limit, MQTT_MAX_PACKET);
    }

    public MqttConfig withReceiveMaximum(int receiveMaximum) {
        return new MqttConfig(host, port, maxMessageBytes, receiveMaximum, decodeThreads, storeThreads, rateLimit,
                takeover, tls);
    }

    public MqttConfig withThreads(int decodeThreads, int storeThreads) {
        return new MqttConfig(host, port, maxMessageBytes, receiveMaximum, decodeThreads, storeThreads, rateLimit,
                takeover, tls);
    }

    public MqttConfig withRateLimit(RateLimitConfig rateLimit) {
        return new MqttConfig(host, port, maxMessageBytes, receiveMaximum, decodeThreads, storeThreads, rateLimit,
                takeover, tls);
    }

    public MqttConfig withTakeover(TakeoverConfig takeover) {
        return new MqttConfig(host, port, maxMessageBytes, receiveMaximum, decodeThreads, storeThreads, rateLimit,
                takeover, tls);
    }

    public MqttConfig withTls(TlsConfig tls) {
        return new MqttConfig(host, port, maxMessageBytes, receiveMaximum, decodeThreads, storeThreads, rateLimit,
                takeover, tls);
    }

    static void requireThreads(String key, int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException(key + " must be between 1 and 256: " + threads);
        }
    }
}

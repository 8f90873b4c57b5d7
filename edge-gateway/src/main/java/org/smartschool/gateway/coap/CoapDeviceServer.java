package org.smartschool.gateway.coap;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.south.DeviceRateLimiter;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * The CoAP server devices send their readings to: plain CoAP when allowed, CoAP over DTLS 1.2 with
 * a pre-shared key per device when keys are configured, block-wise transfer up to
 * {@code coap.maxPayloadBytes}. The outbox work runs on a small pool of its own, off Californium's
 * protocol threads.
 */
public final class CoapDeviceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoapDeviceServer.class);
    /** SQLite takes one writer at a time; a second thread overlaps decoding with a commit. */
    private static final int INTAKE_THREADS = 2;
    private static final int INTAKE_QUEUE = 1024;

    private final CoapServer server;
    private final Endpoint plain;
    private final Endpoint secure;
    private final ThreadPoolExecutor intakeExecutor;

    private CoapDeviceServer(CoapServer server, Endpoint plain, Endpoint secure, ThreadPoolExecutor intakeExecutor) {
        this.server = server;
        this.plain = plain;
        this.secure = secure;
        this.intakeExecutor = intakeExecutor;
    }

    /**
     * Listens on the configured ports (plain when {@code coap.allowPlain}, DTLS when {@code keys} has any).
     *
     * @param sites   by first path segment, or one site under "" for the whole path
     * @param keys    every device's pre-shared key (the DTLS handshake knows no site yet)
     * @param metrics where DTLS failures and bodies too large are counted (before any site is known)
     * @throws CoapPortException naming the key and address when a port cannot be bound
     */
    public static CoapDeviceServer start(CoapSettings settings, Map<String, CoapSite> sites, DeviceKeys keys,
                                         GatewayMetrics metrics, String tag) {
        return start(settings, sites, () -> keys, metrics, tag);
    }

    /**
     * Like {@link #start(CoapSettings, Map, DeviceKeys, GatewayMetrics, String)}, with the keys read
     * at every DTLS handshake: keys the hub's desired configuration changes apply to the next
     * handshake. DTLS is listened on when {@code keys} has any at start.
     */
    public static CoapDeviceServer start(CoapSettings settings, Map<String, CoapSite> sites, Supplier<DeviceKeys> keys,
                                         GatewayMetrics metrics, String tag) {
        Configuration config = configuration(settings);
        ThreadPoolExecutor executor = intakeExecutor(tag);
        CoapServer server = new CoapServer(config);
        server.setTag(tag);
        Endpoint plain = null;
        Endpoint secure = null;
        try {
            if (settings.allowPlain()) {
                plain = CoapEndpoint.builder().setConfiguration(config).setLoggingTag(tag)
                        .setInetSocketAddress(new InetSocketAddress(settings.host(), settings.port())).build();
                probe("coap.port", settings.host(), settings.port());
                plain.addInterceptor(new OversizeCounter(metrics));
                server.addEndpoint(plain);
            }
            if (!keys.get().isEmpty()) {
                DtlsFailures failures = new DtlsFailures(metrics);
                DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                        .setAddress(new InetSocketAddress(settings.host(), settings.securePort()))
                        .setAdvancedPskStore(new DevicePskStore(keys, metrics))
                        .setSessionListener(failures)
                        .setHealthHandler(failures)
                        .setLoggingTag(tag)
                        .build();
                secure = CoapEndpoint.builder().setConfiguration(config).setLoggingTag(tag)
                        .setConnector(new DTLSConnector(dtls)).build();
                probe("coap.securePort", settings.host(), settings.securePort());
                secure.addInterceptor(new OversizeCounter(metrics));
                server.addEndpoint(secure);
            }
            if (plain == null && secure == null) {
                throw new IllegalArgumentException("coap: nothing to listen on: configure device keys or coap.allowPlain");
            }
            DeviceResource devices = new DeviceResource(sites, executor, settings.maxPayloadBytes(),
                    settings.maxPendingPerDevice(), new DeviceRateLimiter(settings.deviceMaxRequestsPerSecond()),
                    Clock.systemUTC());
            server.setMessageDeliverer(new DevicePathDeliverer(server.getRoot(), config, devices));
            server.start();
            requireStarted(plain, "coap.port", settings.host(), settings.port());
            requireStarted(secure, "coap.securePort", settings.host(), settings.securePort());
        } catch (RuntimeException e) {
            server.destroy();
            executor.shutdownNow();
            throw e;
        }
        CoapDeviceServer started = new CoapDeviceServer(server, plain, secure, executor);
        LOG.info("[{}] CoAP devices: plain {}, DTLS {} ({} device keys), {} site(s)", tag,
                plain == null ? "off" : plain.getAddress(), secure == null ? "off" : secure.getAddress(),
                keys.get().all().size(), sites.size());
        return started;
    }

    /**
     * Californium only logs an endpoint it cannot bind; binding the port first for a moment turns a
     * port in use into a start failure that names it.
     */
    private static void probe(String key, String host, int port) {
        if (port == 0) {
            return;
        }
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, port))) {
            socket.getLocalPort();
        } catch (IOException e) {
            throw new CoapPortException(key, host, port, e.getMessage(), e);
        }
    }

    private static void requireStarted(Endpoint endpoint, String key, String host, int port) {
        if (endpoint != null && !endpoint.isStarted()) {
            throw new CoapPortException(key, host, port, "bind failed", null);
        }
    }


    static Configuration configuration(CoapSettings settings) {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
        // block-wise bodies are assembled up to this size; larger ones get 4.13 from Californium itself
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, settings.maxPayloadBytes());
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 2);
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        // a school has hundreds of devices, not Scandium's default 150,000 connections
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 4096);
        return config;
    }

    private static ThreadPoolExecutor intakeExecutor(String tag) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(INTAKE_THREADS, INTAKE_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(INTAKE_QUEUE), r -> {
                    Thread t = new Thread(r, "coap-intake-" + tag + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The plain CoAP port actually bound (the configured one, or the free one picked for 0); -1 when off. */
    public int port() {
        return plain == null ? -1 : plain.getAddress().getPort();
    }

    /** Whether DTLS is listened on (some device had a key when the server started). */
    public boolean hasSecureEndpoint() {
        return secure != null;
    }

    /** The DTLS port actually bound; -1 when off. */
    public int securePort() {
        return secure == null ? -1 : secure.getAddress().getPort();
    }

    /** Stops listening, then lets the requests already handed to the outbox finish (their devices get an answer). */
    @Override
    public void close() {
        server.stop();
        intakeExecutor.shutdown();
        try {
            if (!intakeExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
                intakeExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            intakeExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server.destroy();
    }
}

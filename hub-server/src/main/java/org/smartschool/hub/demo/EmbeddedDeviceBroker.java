package org.smartschool.hub.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.AcceptAllAuthenticator;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 3.1.1 broker the demo's virtual devices publish to, standing in for a school's Mosquitto.
 *
 * <p>Moquette, run in-process on Vert.x's Netty. Anonymous and loopback-only: it exists for the
 * one-process demo and tests, never for a real school, whose broker has per-device credentials.
 */
public final class EmbeddedDeviceBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDeviceBroker.class);
    private static final int FREE_PORT_ATTEMPTS = 3;

    private final Server server;
    private final DeviceBrokerConfig config;
    private final int port;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private EmbeddedDeviceBroker(Server server, DeviceBrokerConfig config, int port) {
        this.server = server;
        this.config = config;
        this.port = port;
    }

    /** Starts a broker and returns once it accepts connections. */
    public static EmbeddedDeviceBroker start(DeviceBrokerConfig config) {
        // Moquette logs its start-up steps and every MQTT packet at INFO
        QuietLoggers.quiet("io.moquette");
        if (config.port() != 0) {
            return startOn(config, config.port());
        }
        // Moquette reports an OS-chosen port only later, from Netty's event loop, through a map that
        // is not safe to read meanwhile; so pick a free port first, and try again should another
        // process take it in between.
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
            try {
                return startOn(config, freePort(config.host()));
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw failure;
    }

    private static EmbeddedDeviceBroker startOn(DeviceBrokerConfig config, int port) {
        Server server = new Server();
        try {
            server.startServer(moquetteConfig(config, port), List.of(), null,
                    new AcceptAllAuthenticator(), new PermitAllAuthorizatorPolicy());
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            throw new IllegalStateException("device broker: cannot listen on " + config.host() + ":" + port
                    + ": " + rootMessage(e), e);
        }
        EmbeddedDeviceBroker broker = new EmbeddedDeviceBroker(server, config, port);
        LOG.info("Device broker listening on {}", broker.url());
        return broker;
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("device broker: no free port on " + host + ": " + e.getMessage(), e);
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stopServer();
        } catch (RuntimeException e) {
            LOG.debug("Device broker: stop after a failed start: {}", e.toString());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static IConfig moquetteConfig(DeviceBrokerConfig config, int port) {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, config.host());
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
        p.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(config.maxMessageBytes()));
        // Moquette reports usage to its authors by default; a school's demo must not phone home.
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        if (config.dataDir() == null) {
            p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        } else {
            try {
                Files.createDirectories(config.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("deviceBroker.dataDir: cannot create " + config.dataDir(), e);
            }
            p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
            p.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, config.dataDir().toAbsolutePath().toString());
        }
        return new MemoryConfig(p);
    }

    /** The port it listens on: the free port chosen when the configuration asked for 0. */
    public int port() {
        return port;
    }

    /** Where MQTT clients connect, e.g. {@code tcp://127.0.0.1:1883}. */
    public String url() {
        return "tcp://" + config.host() + ":" + port;
    }

    /** Disconnects every client and frees the port; calling it again does nothing. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            server.stopServer();
            LOG.info("Device broker on port {} stopped", port);
        }
    }
}

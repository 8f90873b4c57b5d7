package org.smartschool.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.Test;

/**
 * The sockets of the MQTT clients (and the hub's InfluxDB client) have Nagle's algorithm off, unconnected (as Paho
 * and OkHttp ask for them) or connected, plain or TLS; the check fails on the JVM's default factories.
 */
class NoDelaySocketsTest {

    /** Verifies that every plain socket it makes has TCP_NODELAY, where the default factory's have not. */
    @Test
    void everyPlainSocketItMakesHasTcpNoDelay() throws Exception {
        assertThatThrownBy(() -> assertEverySocketHasNoDelay(SocketFactory.getDefault()))
                .as("the default factory's sockets: what the clients had before").isInstanceOf(AssertionError.class);
        assertEverySocketHasNoDelay(new NoDelaySockets());
    }

    /** Verifies that the TLS sockets of a wrapped factory have TCP_NODELAY, also when layered on a connected socket. */
    @Test
    void everyTlsSocketItMakesHasTcpNoDelay() throws Exception {
        SSLSocketFactory tls = SSLContext.getDefault().getSocketFactory();
        assertThatThrownBy(() -> assertEverySocketHasNoDelay(tls)).isInstanceOf(AssertionError.class);
        SocketFactory sockets = NoDelaySockets.forBroker("ssl://127.0.0.1:8883", tls);
        assertThat(sockets).as("Paho wants an SSLSocketFactory for ssl://").isInstanceOf(SSLSocketFactory.class);
        assertEverySocketHasNoDelay(sockets);
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket layered = ((SSLSocketFactory) sockets).createSocket(plain, "127.0.0.1", server.getLocalPort(), true)) {
            assertThat(layered).isInstanceOf(SSLSocket.class);
            assertThat(layered.getTcpNoDelay()).isTrue();
            assertThat(plain.getTcpNoDelay()).as("the socket under it").isTrue();
        }
    }

    /** Verifies that a broker's URL picks plain sockets or TLS ones (the JVM's default trust without a factory). */
    @Test
    void theBrokersSchemePicksPlainOrTlsSockets() throws Exception {
        assertThat(NoDelaySockets.forBroker("tcp://127.0.0.1:1883", null)).isInstanceOf(NoDelaySockets.class)
                .isNotInstanceOf(SSLSocketFactory.class);
        assertThat(NoDelaySockets.forBroker("ws://127.0.0.1:9001", null)).isNotInstanceOf(SSLSocketFactory.class);
        SocketFactory wss = NoDelaySockets.forBroker("wss://hub:443", null);
        assertThat(wss).isInstanceOf(SSLSocketFactory.class);
        try (Socket socket = wss.createSocket()) {
            assertThat(socket).isInstanceOf(SSLSocket.class);
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }

    /** Unconnected (then connected), by host name and by address: each has TCP_NODELAY. */
    private static void assertEverySocketHasNoDelay(SocketFactory sockets) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             Socket unconnected = sockets.createSocket();
             Socket byName = sockets.createSocket("127.0.0.1", server.getLocalPort());
             Socket byAddress = sockets.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThat(unconnected.getTcpNoDelay()).as("unconnected").isTrue();
            unconnected.connect(server.getLocalSocketAddress());
            assertThat(unconnected.getTcpNoDelay()).as("still after connect").isTrue();
            assertThat(byName.getTcpNoDelay()).as("by name").isTrue();
            assertThat(byAddress.getTcpNoDelay()).as("by address").isTrue();
        }
    }
}

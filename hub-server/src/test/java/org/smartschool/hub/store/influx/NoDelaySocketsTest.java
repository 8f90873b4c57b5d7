package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/** The InfluxDB client's sockets have Nagle's algorithm off, unconnected (as OkHttp asks for them) or connected. */
class NoDelaySocketsTest {

    @Test
    void everySocketItMakesHasTcpNoDelay() throws Exception {
        NoDelaySockets sockets = new NoDelaySockets();
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             Socket unconnected = sockets.createSocket();
             Socket byName = sockets.createSocket("127.0.0.1", server.getLocalPort());
             Socket byAddress = sockets.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            unconnected.connect(server.getLocalSocketAddress());
            assertThat(unconnected.getTcpNoDelay()).as("still after connect").isTrue();
            assertThat(byName.getTcpNoDelay()).isTrue();
            assertThat(byAddress.getTcpNoDelay()).isTrue();
            // the default factory's sockets have it off: what the store's client had before
            try (Socket plain = new Socket()) {
                assertThat(plain.getTcpNoDelay()).isFalse();
            }
        }
    }
}

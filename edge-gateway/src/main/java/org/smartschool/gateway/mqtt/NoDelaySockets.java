package org.smartschool.gateway.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets with Nagle's algorithm off (TCP_NODELAY), for the gateway's MQTT clients and the hub's InfluxDB client.
 * Nagle holds back a small segment while the one before it is unacknowledged, and the peer delays its ACK (Linux's
 * delayed ACK, 40 ms): a client that writes one request in two pieces, or a small message right after another,
 * waits that long. The hub's InfluxDB requests took ~45 ms on average where InfluxDB alone answered the same
 * requests at the same rate in ~5 ms (p50; ingest benchmark's floor, 2026-12-03); on MQTT the same wait falls on
 * the small urgent publishes: an attendance decision to the hub, a door reader's green/red answer.
 */
public final class NoDelaySockets extends SocketFactory {
    private final SocketFactory sockets = SocketFactory.getDefault();

    /**
     * The socket factory for a Paho client of the broker at {@code url}: TLS sockets for {@code ssl://} and
     * {@code wss://} (Paho wants an {@link SSLSocketFactory} there, and a plain one elsewhere), plain ones otherwise,
     * all with TCP_NODELAY.
     *
     * @param tls the client's TLS sockets (the trust it needs); null for the JVM's default
     */
    public static SocketFactory forBroker(String url, SSLSocketFactory tls) {
        if (!url.startsWith("ssl://") && !url.startsWith("wss://")) {
            return new NoDelaySockets();
        }
        return new NoDelayTlsSockets(tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(sockets.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(sockets.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(sockets.createSocket(address, port, localAddress, localPort));
    }

    /** Set on an unconnected socket too (Paho and OkHttp ask for one, then connect it): it holds after the connect. */
    static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}

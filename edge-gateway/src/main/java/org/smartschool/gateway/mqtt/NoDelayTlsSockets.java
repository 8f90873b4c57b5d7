package org.smartschool.gateway.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS sockets of another factory (its trust, protocols and cipher suites) with TCP_NODELAY, as
 * {@link NoDelaySockets} explains: TLS records are small segments like any other.
 */
final class NoDelayTlsSockets extends SSLSocketFactory {
    private final SSLSocketFactory tls;

    NoDelayTlsSockets(SSLSocketFactory tls) {
        this.tls = java.util.Objects.requireNonNull(tls, "tls");
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return NoDelaySockets.noDelay(tls.createSocket());
    }

    @Override
    public Socket createSocket(Socket layered, String host, int port, boolean autoClose) throws IOException {
        return NoDelaySockets.noDelay(tls.createSocket(layered, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket layered, InputStream consumed, boolean autoClose) throws IOException {
        return NoDelaySockets.noDelay(tls.createSocket(layered, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return NoDelaySockets.noDelay(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return NoDelaySockets.noDelay(tls.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return NoDelaySockets.noDelay(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return NoDelaySockets.noDelay(tls.createSocket(address, port, localAddress, localPort));
    }
}

package org.smartschool.gateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder between a client under test and a real server, to cut the link
 * ({@link #down()}: refuses and drops connections, like an unreachable hub), restore it
 * ({@link #up()}, same port) or hold back the server's answers ({@link #holdReplies(boolean)}: the
 * client's packets arrive, the server's acknowledgements wait) without touching the server.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean holdReplies;
    private volatile boolean holdRequests;
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger blackHoles = new java.util.concurrent.atomic.AtomicInteger();

    /** @param targetUrl {@code tcp://host:port} of the real server */
    public TcpProxy(String targetUrl) throws IOException {
        URI uri = URI.create(targetUrl);
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.port = portBelowEphemeralRange();
    }

    /**
     * A free loopback port below Linux's ephemeral range (32768+). While the proxy is down, a client
     * that keeps reconnecting to a port in that range can connect to itself (TCP simultaneous open
     * on loopback) and hold the port, so that {@link #up()} could not bind it again.
     */
    private static int portBelowEphemeralRange() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int candidate = 20_000 + random.nextInt(12_000);
            try (ServerSocket probe = new ServerSocket(candidate, 50, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free TCP port found on 127.0.0.1 between 20000 and 32000");
    }

    /** Connections accepted so far (how often the client tried to connect). */
    public long accepted() {
        return accepted.get();
    }

    /** The local port the client under test connects to. */
    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:<port>}: what the client under test connects to. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts accepting connections (again) on the same port. */
    public synchronized TcpProxy up() throws IOException {
        if (server != null) {
            return this;
        }
        ServerSocket listening = bindAgain();
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy accept " + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /**
     * Binds the proxy's port, waiting (up to 10 s) while the kernel still holds it from the connections
     * {@link #down()} just dropped: seen in CI as "Address already in use" right after a down().
     */
    private ServerSocket bindAgain() throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            try {
                listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return listening;
            } catch (java.net.BindException e) {
                listening.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Stops accepting and drops every open connection. */
    public synchronized void down() {
        ServerSocket listening = server;
        server = null;
        closeQuietly(listening);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** While true, bytes from the server are held back (not lost) until it is set false again. */
    public void holdReplies(boolean hold) {
        synchronized (this) {
            holdReplies = hold;
            notifyAll();
        }
    }

    /**
     * While true, bytes from the client are held back until it is set false again, or lost when
     * the connection is dropped meanwhile ({@link #down()}): e.g. an acknowledgement that never
     * reaches the server.
     */
    public void holdRequests(boolean hold) {
        synchronized (this) {
            holdRequests = hold;
            notifyAll();
        }
    }

    /**
     * The next {@code connections} connections forward the client's bytes but never any of the
     * server's: a connection that stays open and silent (a CONNECT whose CONNACK never comes), as a
     * stalled NAT or broker can leave it. Later connections work normally.
     */
    public void swallowRepliesOfNext(int connections) {
        blackHoles.set(connections);
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, false);
                if (blackHoles.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    pump(upstream, OutputStream.nullOutputStream());
                } else {
                    pump(upstream, client, true);
                }
            } catch (IOException e) {
                return; // closed by down()
            }
        }
    }

    private void pump(Socket from, Socket to, boolean reply) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (reply) {
                        waitWhileHeld();
                    } else {
                        waitWhileRequestsHeld(from);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy pump " + port);
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads the server's bytes and drops them, keeping the connection open. */
    private void pump(Socket from, OutputStream sink) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    sink.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                closeQuietly(from);
            }
        }, "tcp-proxy swallow " + port);
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void waitWhileRequestsHeld(Socket from) throws InterruptedException, IOException {
        while (holdRequests) {
            wait(100);
            if (from.isClosed()) {
                throw new IOException("dropped while held");
            }
        }
    }

    private synchronized void waitWhileHeld() throws InterruptedException {
        while (holdReplies) {
            wait();
        }
    }

    @Override
    public void close() {
        holdRequests(false);
        holdReplies(false);
        down();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}

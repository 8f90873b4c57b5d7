package org.smartschool.hub.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault in front of a real HTTP server (InfluxDB): a TCP proxy that forwards connections, except
 * that while faults are queued each new connection takes the next one: answer its request with
 * 503 or 429, or stall (read it and never answer). No mock of the server: every request that is not
 * a fault reaches the real one unchanged.
 *
 * <p>Queuing faults closes the connections being forwarded, so a client's pooled connection cannot
 * slip past them: its next request opens a new connection and meets the fault.
 */
public final class FaultyHttpProxy implements AutoCloseable {
    public enum Fault { SERVICE_UNAVAILABLE, TOO_MANY_REQUESTS, STALL }

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger faultsServed = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    public FaultyHttpProxy(String upstreamUrl) throws IOException {
        URI uri = URI.create(upstreamUrl);
        this.upstream = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Queues faults for the next connections, and drops the connections being forwarded. */
    public void fail(Fault fault, int times) {
        synchronized (faults) {
            for (int i = 0; i < times; i++) {
                faults.add(fault);
            }
        }
        dropOpenConnections();
    }

    /** Forwards everything from now on. */
    public void heal() {
        synchronized (faults) {
            faults.clear();
        }
        dropOpenConnections();
    }

    public int faultsServed() {
        return faultsServed.get();
    }

    /** Connections forwarded to the real server so far. */
    public int forwarded() {
        return forwarded.get();
    }

    private void dropOpenConnections() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Fault fault;
                synchronized (faults) {
                    fault = faults.poll();
                }
                threads.execute(() -> serve(client, fault));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client, Fault fault) {
        try {
            if (fault == null) {
                forward(client);
                return;
            }
            readRequest(client.getInputStream());
            faultsServed.incrementAndGet();
            switch (fault) {
                case SERVICE_UNAVAILABLE -> answer(client, "503 Service Unavailable", "{\"error\":\"overloaded (test fault)\"}");
                case TOO_MANY_REQUESTS -> answer(client, "429 Too Many Requests", "{\"error\":\"slow down (test fault)\"}");
                case STALL -> {
                    // never answer: the client's read timeout ends it (or the proxy closing)
                    while (client.getInputStream().read() >= 0) {
                        // drain until the client gives up
                    }
                }
            }
        } catch (IOException e) {
            // the client or the proxy closed the connection: nothing left to do
        } finally {
            open.remove(client);
            closeQuietly(client);
        }
    }

    private void forward(Socket client) throws IOException {
        try (Socket server = new Socket()) {
            server.connect(upstream, 5_000);
            forwarded.incrementAndGet();
            open.add(server);
            try {
                var up = threads.submit(() -> pipe(client.getInputStream(), server.getOutputStream(), server));
                pipe(server.getInputStream(), client.getOutputStream(), client);
                up.cancel(true);
            } finally {
                open.remove(server);
            }
        }
    }

    private static Void pipe(InputStream in, OutputStream out, Socket closeWhenDone) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close the other below
        }
        closeQuietly(closeWhenDone);
        return null;
    }

    /** Reads a request's head and its Content-Length body, so the answer is not lost to a reset. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        in.skipNBytes(length);
    }

    private static void answer(Socket client, String status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        dropOpenConnections();
        threads.shutdownNow();
    }
}

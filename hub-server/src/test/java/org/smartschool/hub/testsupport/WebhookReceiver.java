package org.smartschool.hub.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import org.smartschool.hub.forward.WebhookSignature;

/** A real HTTP server on loopback that takes webhooks at {@link #url()}, answers 204 and keeps each delivery. */
public final class WebhookReceiver implements AutoCloseable {
    /** A delivery as it came: the Standard Webhooks headers, the body, and when it came ({@link System#nanoTime}). */
    public record Delivery(String id, String timestamp, String signature, byte[] body, long receivedNanos) {
        public JsonObject json() {
            return new JsonObject(new String(body, StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() throws IOException {
        WebhookReceiver receiver = new WebhookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        receiver.server.createContext("/hooks", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long received = System.nanoTime();
            receiver.deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst(WebhookSignature.ID),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE), body, received));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.server.start();
        return receiver;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** What came so far, in order of arrival (a live view). */
    public List<Delivery> deliveries() {
        return deliveries;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

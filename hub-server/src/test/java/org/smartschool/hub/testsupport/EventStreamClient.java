package org.smartschool.hub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;
import org.smartschool.hub.api.EventStreamRoutes;

/** Reads one event stream on a thread of its own: events as {@code name + " " + data}, comments counted. */
public final class EventStreamClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger comments = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger readings = new java.util.concurrent.atomic.AtomicInteger();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    public EventStreamClient(int port, String token, String query) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + EventStreamRoutes.PATH + query))
                .header("Accept", "text/event-stream").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public int status() {
        return response.statusCode();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                } else if (line.isEmpty() && !data.isEmpty()) {
                    String event = name + " " + data;
                    if (name.equals("reading")) {
                        readings.incrementAndGet();
                    }
                    all.add(event);
                    events.add(event);
                    name = "message";
                    data.setLength(0);
                }
            }
        } catch (IOException e) {
            // closed
        }
        ended = true;
    }

    /** True once the server ended the stream (or it was closed here). */
    public boolean ended() {
        return ended;
    }

    /** The first event of that name whose data matches, skipping others (read still: {@link #received()}). */
    public JsonObject until(String name, java.util.function.Predicate<JsonObject> matches) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String event = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            assertThat(event).as("a %s event that matches, within %s; received: %s", name, WAIT, received()).isNotNull();
            if (event.startsWith(name + " ")) {
                JsonObject data = new JsonObject(event.substring(event.indexOf(' ') + 1));
                if (matches.test(data)) {
                    return data;
                }
            }
        }
    }

    /** The next event's data with its name under "event"; of that name when given, failing on another name first. */
    public JsonObject next(String name) throws InterruptedException {
        String event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an event (%s) within %s", name == null ? "any" : name, WAIT).isNotNull();
        String got = event.substring(0, event.indexOf(' '));
        if (name != null) {
            assertThat(got).as("the next event: %s", event).isEqualTo(name);
        }
        return new JsonObject(event.substring(event.indexOf(' ') + 1)).put("event", got);
    }

    public int comments() {
        return comments.get();
    }

    public int readings() {
        return readings.get();
    }

    public List<String> received() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closed already
        }
        reader.interrupt();
    }
}

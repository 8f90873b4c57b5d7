package org.smartschool.hub.api;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.hub.auth.Principal;
import org.smartschool.hub.live.LiveEvent;
import org.smartschool.hub.live.LiveEvents;

/**
 * {@code GET /api/v1/events/stream[?school=S]}: the console's live updates as server-sent events ({@code reading},
 * {@code alarm}, {@code gateway}), first a {@code ready} event naming the stream's scope, then a comment line every
 * {@code heartbeatMillis} so proxies keep the connection open. Scoped on the server: a school's user gets its own
 * school's events only ({@link AccessCheck} sets {@code school=} for it), a district role every school's or the one
 * it names; another school's event is never written.
 *
 * <p>A stream ends after {@code lifetimeMillis}; the browser opens the next after {@code retry:}, so a session that has
 * ended stops receiving events within that time (the console reads its view again on each new stream).
 *
 * <p>Each connection holds at most {@code maxQueued} events beyond what the connection's write queue takes; a client
 * that does not read them in time is dropped (its connection closed, counted in
 * {@code hub_live_streams_dropped_total}), so a slow client never grows the heap. The browser's {@code EventSource}
 * reconnects by itself ({@code retry:} says after how long).
 */
public final class EventStreamRoutes implements RouteGroup {
    public static final String PATH = "/api/v1/events/stream";
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamRoutes.class);
    /** The bytes Vert.x queues for a connection before {@code writeQueueFull()}: past this, events wait in ours. */
    private static final int WRITE_QUEUE_BYTES = 64 * 1024;
    private static final int RETRY_MILLIS = 5_000;

    private final LiveEvents events;
    private final int maxQueued;
    private final long heartbeatMillis;
    private final long lifetimeMillis;
    /** The open streams; one subscription to the events serves them all, each event encoded once. */
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    // held while a stream is open, so that the events are not even made when nobody watches
    private LiveEvents.Subscription subscription;
    private final Counter sent;
    private final Counter dropped;

    /**
     * @param maxQueued       events a connection may have waiting before it is dropped as too slow
     * @param heartbeatMillis how often a comment line is written to an idle stream
     * @param lifetimeMillis  how long a stream stays open before the hub ends it: the browser reconnects and its
     *                        credential is checked again, so a session that ended (logout, a new password, expiry)
     *                        stops receiving within this time
     */
    public EventStreamRoutes(LiveEvents events, MeterRegistry meters, int maxQueued, long heartbeatMillis, long lifetimeMillis) {
        if (maxQueued < 1 || heartbeatMillis < 1 || lifetimeMillis < 1) {
            throw new IllegalArgumentException("maxQueued, heartbeatMillis and lifetimeMillis must be positive");
        }
        this.events = events;
        this.maxQueued = maxQueued;
        this.heartbeatMillis = heartbeatMillis;
        this.lifetimeMillis = lifetimeMillis;
        Gauge.builder("hub_live_streams", streams, Set::size).description("open live event streams (console)")
                .register(meters);
        this.sent = Counter.builder("hub_live_events_sent_total").description("live events written to streams").register(meters);
        this.dropped = Counter.builder("hub_live_streams_dropped_total")
                .description("live event streams closed because the client read too slowly").register(meters);
    }

    private synchronized void opened(Stream stream) {
        if (streams.isEmpty()) {
            subscription = events.subscribe(this::fanOut);
        }
        streams.add(stream);
    }

    private synchronized void closed(Stream stream) {
        if (streams.remove(stream) && streams.isEmpty()) {
            subscription.close();
            subscription = null;
        }
    }

    /** On the publishing thread: the event, encoded once if any stream wants it, to each stream that does. */
    private void fanOut(LiveEvent event) {
        String text = null;
        for (Stream stream : streams) {
            if (stream.wants(event)) {
                text = text == null ? encode(event) : text;
                stream.offer(text);
            }
        }
    }

    @Override
    public void mount(Router router) {
        router.get(PATH).handler(this::stream);
    }

    private void stream(RoutingContext rc) {
        Principal who = AccessCheck.principal(rc);
        String school = rc.queryParams().get("school");
        if (school != null && !Ids.isValid(school)) {
            Responses.error(rc, 400, "school must be a school id", "school");
            return;
        }
        if (who == null || (school == null && !who.role().districtWide())) {
            // AccessCheck names the school of a school role; this is the second lock of the same door
            Responses.error(rc, 403, "a school's user streams its own school's events only", null);
            return;
        }
        HttpServerResponse response = rc.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                // nginx and similar proxies: pass each event on at once
                .putHeader("X-Accel-Buffering", "no")
                .setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        Stream stream = new Stream(rc.vertx(), Vertx.currentContext(), response, who, school);
        stream.start();
    }

    static String encode(LiveEvent event) {
        // JSON has no raw line breaks, so one data: line holds it
        return "event: " + event.name() + "\ndata: " + data(event) + "\n\n";
    }

    /** The event's JSON as a stream's {@code data:} line carries it (also what replicas pass each other). */
    public static String data(LiveEvent event) {
        JsonObject data;
        if (event instanceof LiveEvent.Relayed r) {
            return r.data();
        } else if (event instanceof LiveEvent.RoomValues r) {
            JsonArray values = new JsonArray();
            r.values().forEach(v -> values.add(LatestJson.of(v)));
            data = new JsonObject().put("school", r.school()).put("room", r.room()).put("values", values);
        } else if (event instanceof LiveEvent.AlarmChanged a) {
            data = new JsonObject().put("school", a.school()).put("change", a.change()).put("alarm", AlarmRoutes.alarm(a.alarm()));
        } else if (event instanceof LiveEvent.GatewayChanged g) {
            data = new JsonObject().put("school", g.school()).put("gateway", g.event().gateway())
                    .put("type", g.event().type().label()).put("cause", g.event().cause())
                    .put("time", Instant.ofEpochMilli(g.event().time()).toString()).put("detail", g.event().detail());
        } else {
            throw new IllegalArgumentException("unknown live event " + event);
        }
        return data.encode();
    }

    /** One open stream; its queue and response are touched on its connection's context only. */
    private final class Stream {
        private final Vertx vertx;
        private final Context context;
        private final HttpServerResponse response;
        private final Principal who;
        private final String school;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        /** Events accepted but not yet written: bounded by maxQueued across threads. */
        private final AtomicInteger pending = new AtomicInteger();
        private volatile boolean closed;
        private long heartbeat = -1;
        private long lifetime = -1;
        private int fullHeartbeats;

        Stream(Vertx vertx, Context context, HttpServerResponse response, Principal who, String school) {
            this.vertx = vertx;
            this.context = context;
            this.response = response;
            this.who = who;
            this.school = school;
        }

        void start() {
            response.closeHandler(v -> end());
            response.exceptionHandler(e -> end());
            response.write("retry: " + RETRY_MILLIS + "\n" + "event: ready\ndata: " + new JsonObject()
                    .put("school", school).put("user", who.name()).put("role", who.role().id())
                    .put("heartbeatSeconds", heartbeatMillis / 1000.0).encode() + "\n\n");
            opened(this);
            heartbeat = vertx.setPeriodic(heartbeatMillis, id -> heartbeat());
            lifetime = vertx.setTimer(lifetimeMillis, id -> {
                lifetime = -1;
                if (!closed) {
                    end();
                    // the browser comes back after "retry:", a fresh stream whose credential is checked again
                    response.end();
                }
            });
        }

        /** Whether the event is this stream's: its school, within what the user may see. */
        boolean wants(LiveEvent event) {
            return !closed && (school == null ? who.covers(event.school()) : school.equals(event.school()) && who.covers(school));
        }

        /** From any thread: takes the encoded event if there is room, else drops the stream. */
        void offer(String text) {
            if (pending.incrementAndGet() > maxQueued) {
                pending.decrementAndGet();
                drop();
                return;
            }
            context.runOnContext(v -> {
                if (!closed) {
                    queue.add(text);
                    pump();
                }
            });
        }

        private void pump() {
            while (!closed && !queue.isEmpty() && !response.writeQueueFull()) {
                response.write(queue.poll());
                pending.decrementAndGet();
                sent.increment();
            }
            if (!closed && !queue.isEmpty()) {
                response.drainHandler(v -> pump());
            }
        }

        private void heartbeat() {
            if (closed) {
                return;
            }
            if (response.writeQueueFull()) {
                // nothing read for two heartbeats: a client that is gone without a FIN, or stuck
                if (++fullHeartbeats >= 2) {
                    drop();
                }
                return;
            }
            fullHeartbeats = 0;
            response.write(": keep-alive\n\n");
        }

        private void drop() {
            if (closed) {
                return;
            }
            closed = true;
            dropped.increment();
            context.runOnContext(v -> {
                LOG.info("live event stream of {} ({}) dropped: it read too slowly", SafeText.clean(who.name(), 100),
                        school == null ? "district" : school);
                end();
                // closes the connection (HTTP/1.1) or the stream (HTTP/2); the browser reconnects
                response.reset();
            });
        }

        private void end() {
            closed = true;
            closed(this);
            if (heartbeat >= 0) {
                vertx.cancelTimer(heartbeat);
                heartbeat = -1;
            }
            if (lifetime >= 0) {
                vertx.cancelTimer(lifetime);
                lifetime = -1;
            }
            queue.clear();
        }
    }
}

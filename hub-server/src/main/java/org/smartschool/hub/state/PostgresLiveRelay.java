package org.smartschool.hub.state;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.live.LiveEvent;
import org.smartschool.hub.live.LiveEvents;

/**
 * Passes live events between hub replicas that share one PostgreSQL, so that a console connected to any replica
 * sees the changes of every gateway, whichever replica it is connected to: what this replica learns goes out with
 * {@code NOTIFY} on channel {@value #CHANNEL}, what the others send comes in by {@code LISTEN} and is published here
 * as {@link LiveEvent.Relayed}. The database is already shared by the replicas, so no broker is added for it.
 *
 * <p>One thread of its own on one connection of its own (a {@code LISTEN} belongs to a session, which a pooled
 * connection is not): it sends what queued, then waits up to {@value #WAIT_MILLIS} ms for notifications. Publishers
 * never wait: an event that finds the queue full, or is larger than a notification may carry, is dropped and
 * counted (the console also re-reads everything every minute). A lost connection is opened again with a growing pause.
 *
 * <p>A notification is {@code origin \n school \n name \n data}: ids and names hold no line break, and the data is
 * one line of JSON.
 */
public final class PostgresLiveRelay implements AutoCloseable {
    static final String CHANNEL = "hub_live";
    /** PostgreSQL refuses a notification payload of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7_999;
    private static final int QUEUE_LIMIT = 10_000;
    private static final int WAIT_MILLIS = 50;
    private static final long RETRY_MAX_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLiveRelay.class);

    private final StateDatabase db;
    private final String origin;
    private final Function<LiveEvent, String> encoder;
    private final LiveEvents events;
    private final BlockingQueue<String> outgoing = new ArrayBlockingQueue<>(QUEUE_LIMIT);
    private final Thread thread;
    private final Counter sent;
    private final Counter received;
    private final Counter dropped;
    private volatile boolean closed;
    private LiveEvents.Subscription subscription;

    /**
     * @param origin  this replica's id, unique among the replicas: its own notifications come back to it and are skipped
     * @param encoder an event's JSON as the streams carry it
     */
    PostgresLiveRelay(StateDatabase db, String origin, Function<LiveEvent, String> encoder, LiveEvents events,
                      MeterRegistry meters) {
        if (origin.contains("\n")) {
            throw new IllegalArgumentException("a replica id has no line break");
        }
        this.db = db;
        this.origin = origin;
        this.encoder = encoder;
        this.events = events;
        this.thread = new Thread(this::run, "hub-live-relay");
        thread.setDaemon(true);
        this.sent = Counter.builder("hub_live_relay_sent_total").description("live events passed to the other replicas")
                .register(meters);
        this.received = Counter.builder("hub_live_relay_received_total")
                .description("live events of other replicas passed to this replica's streams").register(meters);
        this.dropped = Counter.builder("hub_live_relay_dropped_total")
                .description("live events not passed to the other replicas (queue full, too large, or not sent)")
                .register(meters);
    }

    public void start() {
        subscription = events.subscribe(this::offer);
        thread.start();
    }

    /** On the publishing thread: queues a local event for the others; never waits. */
    private void offer(LiveEvent event) {
        if (event instanceof LiveEvent.Relayed) {
            return; // another replica's: it told everyone itself
        }
        String payload = origin + "\n" + event.school() + "\n" + event.name() + "\n" + encoder.apply(event);
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES || !outgoing.offer(payload)) {
            dropped.increment();
        }
    }

    private void run() {
        long pause = 500;
        while (!closed) {
            try (Connection c = db.dedicatedConnection()) {
                try (Statement listen = c.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                pause = 500;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    send(c);
                    receive(pg.getNotifications(WAIT_MILLIS));
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("live events between replicas: {} failed, trying again in {} ms: {}", db, pause, e.toString());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                pause = Math.min(pause * 2, RETRY_MAX_MILLIS);
            }
        }
    }

    /** What queued, in one statement: PostgreSQL delivers the notifications together at its commit. */
    private void send(Connection c) throws SQLException {
        List<String> payloads = new ArrayList<>();
        outgoing.drainTo(payloads);
        if (payloads.isEmpty()) {
            return;
        }
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', p) FROM unnest(?) AS p")) {
            notify.setArray(1, c.createArrayOf("text", payloads.toArray()));
            notify.execute();
            sent.increment(payloads.size());
        } catch (SQLException e) {
            dropped.increment(payloads.size());
            throw e;
        }
    }

    private void receive(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification n : notifications) {
            String[] parts = n.getParameter().split("\n", 4);
            if (parts.length != 4) {
                LOG.warn("live events between replicas: a notification on {} that is not a hub's: ignored", CHANNEL);
            } else if (!parts[0].equals(origin)) {
                received.increment();
                events.publish(new LiveEvent.Relayed(parts[1], parts[2], parts[3]));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (subscription != null) {
            subscription.close();
        }
        try {
            thread.join(5_000); // it looks at closed at least every WAIT_MILLIS
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

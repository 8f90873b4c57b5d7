package org.smartschool.hub.state;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.forward.WebhookDelivery;
import org.smartschool.hub.forward.WebhookOutcome;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookStore;
import org.smartschool.hub.forward.WebhookSubscription;

/**
 * Webhook subscriptions and deliveries in the state database (migration V4). {@link #enqueue} runs
 * inside the transaction of whoever records the event, so event and deliveries commit together.
 */
public final class JdbcWebhookStore implements WebhookStore {
    private static final String DELIVERY = "seq, subscription_id, school, webhook_id, event_type, body, created_at, attempts,"
            + " next_attempt_at, state, last_status, last_error";

    /**
     * The head of each (subscription, school, line) only, due and not leased (parameters: now, now): a
     * later event of a line never overtakes an earlier one that is still being retried. The head is found
     * by the index {@code webhook_delivery_line_head} (migration V10), the due rows by {@code webhook_delivery_due}.
     */
    private static final String DUE_HEADS = " JOIN webhook_subscription s ON s.id = d.subscription_id AND s.disabled_reason IS NULL"
            + " WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)"
            + " AND d.seq = (SELECT MIN(h.seq) FROM webhook_delivery h WHERE h.subscription_id = d.subscription_id"
            + " AND h.school = d.school AND h.line = d.line AND h.state = 'pending')";

    private final Jdbc jdbc;
    private final DeliveryQueue queue = new DeliveryQueue("webhook_delivery");

    public JdbcWebhookStore(StateDatabase db) {
        this.jdbc = new Jdbc(db);
    }

    /**
     * Queues an event for every active subscription that wants it, on the caller's connection and in
     * its transaction; one already queued for a subscription (same webhook id) is not queued again.
     *
     * @param severity the alarm's severity, null for events without one
     * @param line     what the event keeps its order within, besides the school: '' for a school's alarms,
     *                 the learner for attendance (docs/webhooks.md)
     * @return how many deliveries were queued
     */
    static int enqueue(Connection c, String school, String line, String type, Severity severity, String webhookId, String body,
                       long now) throws SQLException {
        try (TransactionStatements st = new TransactionStatements(c)) {
            return new Queueing(st, false).enqueue(school, line, type, severity, webhookId, body, now);
        }
    }

    /**
     * Queues the events of one transaction as {@link #enqueue} does, each statement prepared once and the active
     * subscriptions read at the first event (the transaction's view of them, as if all its events were queued at
     * once). With {@code soleWriter} (SQLite: the writer holds the whole file until it commits) the next delivery
     * number is read once and counted on from there; otherwise (PostgreSQL, replicas side by side) it is read
     * before each insert, as {@link #enqueue} does.
     */
    static final class Queueing {
        private final TransactionStatements st;
        private final boolean soleWriter;
        private List<WebhookSubscription> subscriptions;
        /** The next delivery number when {@code soleWriter}; 0 until read. */
        private long nextSeq;

        Queueing(TransactionStatements st, boolean soleWriter) {
            this.st = st;
            this.soleWriter = soleWriter;
        }

        int enqueue(String school, String line, String type, Severity severity, String webhookId, String body, long now)
                throws SQLException {
            if (subscriptions == null) {
                subscriptions = st.query("SELECT * FROM webhook_subscription WHERE disabled_reason IS NULL ORDER BY id",
                        JdbcWebhookStore::subscription);
            }
            int queued = 0;
            for (WebhookSubscription s : subscriptions) {
                if (!s.wants(school, type, severity)) {
                    continue;
                }
                long seq = soleWriter && nextSeq > 0 ? nextSeq
                        : st.query("SELECT COALESCE(MAX(seq), 0) + 1 FROM webhook_delivery", rs -> rs.getLong(1)).get(0);
                int inserted = st.update("INSERT INTO webhook_delivery (" + DELIVERY + ", line)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 'pending', 0, NULL, ?) ON CONFLICT (subscription_id, webhook_id) DO NOTHING",
                        seq, s.id(), school, webhookId, type, body, now, now, line);
                queued += inserted;
                nextSeq = inserted == 1 ? seq + 1 : seq;
            }
            return queued;
        }
    }

    @Override
    public void putSubscription(WebhookSubscription s) {
        jdbc.write(c -> {
            Object[] fields = {s.url().toString(), s.school(), String.join(",", s.eventTypes()),
                    s.minSeverity() == null ? null : s.minSeverity().id(), secrets(s), s.disabledReason()};
            if (Jdbc.update(c, "UPDATE webhook_subscription SET url = ?, school = ?, event_types = ?, min_severity = ?,"
                    + " secrets = ?, disabled_reason = ? WHERE id = ?", append(fields, s.id())) == 0) {
                Jdbc.update(c, "INSERT INTO webhook_subscription (url, school, event_types, min_severity, secrets,"
                        + " disabled_reason, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", append(fields, s.id(), s.createdAt()));
            }
            return null;
        });
    }

    @Override
    public Optional<WebhookSubscription> subscription(String id) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT * FROM webhook_subscription WHERE id = ?", JdbcWebhookStore::subscription, id))
                .stream().findFirst();
    }

    @Override
    public List<WebhookSubscription> subscriptions() {
        return jdbc.read(c -> Jdbc.query(c, "SELECT * FROM webhook_subscription ORDER BY id", JdbcWebhookStore::subscription));
    }

    @Override
    public boolean deleteSubscription(String id) {
        return jdbc.write(c -> {
            Jdbc.update(c, "DELETE FROM webhook_delivery WHERE subscription_id = ?", id);
            return Jdbc.update(c, "DELETE FROM webhook_subscription WHERE id = ?", id) == 1;
        });
    }

    @Override
    public void disable(String id, String reason) {
        jdbc.write(c -> Jdbc.update(c, "UPDATE webhook_subscription SET disabled_reason = ? WHERE id = ?", reason, id));
    }

    @Override
    public boolean anyDue(long now) {
        return jdbc.read(c -> !Jdbc.query(c, "SELECT 1 FROM webhook_delivery d" + DUE_HEADS + " LIMIT 1", rs -> 1, now, now)
                .isEmpty());
    }

    @Override
    public List<WebhookDelivery> claimDue(long now, long leaseUntil, int max, ToIntFunction<String> room) {
        return settleAndClaim(List.of(), now, leaseUntil, max, room);
    }

    @Override
    public List<WebhookDelivery> settleAndClaim(List<WebhookOutcome> outcomes, long now, long leaseUntil, int max,
                                                ToIntFunction<String> room) {
        if (outcomes.isEmpty() && max <= 0) {
            return List.of();
        }
        // relaxed: a lease or an outcome lost in a power cut only sends a delivery again (same webhook id)
        return jdbc.writeRelaxed(c -> {
            settle(c, outcomes);
            if (max <= 0) {
                return List.of();
            }
            // a few more than max: the heads of a subscription without room must not hide those of others
            List<WebhookDelivery> due = Jdbc.query(c, "SELECT " + qualified() + " FROM webhook_delivery d" + DUE_HEADS
                    + " ORDER BY d.next_attempt_at, d.seq LIMIT ?", JdbcWebhookStore::delivery, now, now, 2 * max);
            Map<String, Integer> taken = new HashMap<>();
            List<WebhookDelivery> fitting = new ArrayList<>(Math.min(max, due.size()));
            for (WebhookDelivery d : due) {
                if (fitting.size() == max) {
                    break;
                }
                int n = taken.getOrDefault(d.subscriptionId(), 0);
                if (n < room.applyAsInt(d.subscriptionId())) {
                    taken.put(d.subscriptionId(), n + 1);
                    fitting.add(d);
                }
            }
            return queue.lease(c, fitting, WebhookDelivery::seq, now, leaseUntil);
        });
    }

    @Override
    public void settle(List<WebhookOutcome> outcomes) {
        if (!outcomes.isEmpty()) {
            jdbc.writeRelaxed(c -> settle(c, outcomes));
        }
    }

    private Void settle(Connection c, List<WebhookOutcome> outcomes) throws SQLException {
        queue.settle(c, outcomes);
        return null;
    }

    @Override
    public void delivered(long seq, int status, long now) {
        jdbc.write(c -> queue.delivered(c, seq, status, now));
    }

    @Override
    public void release(long seq) {
        jdbc.write(c -> queue.release(c, seq));
    }

    @Override
    public void failed(long seq, int status, String error, long nextAttemptAt, boolean dead) {
        jdbc.write(c -> queue.failed(c, seq, status, error, nextAttemptAt, dead));
    }

    @Override
    public List<WebhookDelivery> deadLetters(int max) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + DELIVERY + " FROM webhook_delivery WHERE state = 'dead'"
                + " ORDER BY seq LIMIT ?", JdbcWebhookStore::delivery, max));
    }

    @Override
    public boolean redeliver(long seq, long now) {
        return jdbc.write(c -> queue.redeliver(c, seq, now));
    }

    @Override
    public Optional<WebhookDelivery> delivery(long seq) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + DELIVERY + " FROM webhook_delivery WHERE seq = ?",
                JdbcWebhookStore::delivery, seq)).stream().findFirst();
    }

    private static String qualified() {
        return Arrays.stream(DELIVERY.split(", ")).map(col -> "d." + col).reduce((a, b) -> a + ", " + b).orElseThrow();
    }

    private static Object[] append(Object[] fields, Object... more) {
        Object[] all = Arrays.copyOf(fields, fields.length + more.length);
        System.arraycopy(more, 0, all, fields.length, more.length);
        return all;
    }

    private static String secrets(WebhookSubscription s) {
        return String.join(" ", s.secrets().stream().map(WebhookSecret::reveal).toList());
    }

    private static WebhookSubscription subscription(ResultSet rs) throws SQLException {
        List<WebhookSecret> secrets = Arrays.stream(rs.getString("secrets").split(" ")).map(WebhookSecret::parse).toList();
        String min = rs.getString("min_severity");
        return new WebhookSubscription(rs.getString("id"), URI.create(rs.getString("url")), rs.getString("school"),
                new LinkedHashSet<>(Arrays.asList(rs.getString("event_types").split(","))),
                min == null ? null : Severity.byId(min).orElse(null), secrets, rs.getString("disabled_reason"),
                rs.getLong("created_at"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        return new WebhookDelivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getInt(8), rs.getLong(9), WebhookDelivery.State.of(rs.getString(10)),
                rs.getInt(11), rs.getString(12));
    }
}

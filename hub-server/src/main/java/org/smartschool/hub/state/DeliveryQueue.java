package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.smartschool.hub.forward.WebhookOutcome;

/**
 * The steps both forwarding queues take alike ({@code webhook_delivery} and {@code edfi_delivery}
 * have the same {@code state}, {@code attempts}, {@code last_status}, {@code last_error},
 * {@code next_attempt_at}, {@code lease_until}, {@code created_at} and {@code delivered_at}
 * columns, with the same meaning): lease what is due, settle an attempt, give a lease back, send a
 * dead letter again. Each store keeps its own rows' shape and what makes a delivery due.
 */
final class DeliveryQueue {
    private final String lease;
    private final String delivered;
    private final String release;
    private final String failed;
    private final String redeliver;

    DeliveryQueue(String table) {
        this.lease = "UPDATE " + table + " SET lease_until = ? WHERE seq = ? AND state = 'pending'"
                + " AND (lease_until IS NULL OR lease_until < ?)";
        this.delivered = "UPDATE " + table + " SET state = 'delivered', attempts = attempts + 1, last_status = ?,"
                + " last_error = NULL, delivered_at = ?, lease_until = NULL WHERE seq = ?";
        this.release = "UPDATE " + table + " SET lease_until = NULL WHERE seq = ?";
        this.failed = "UPDATE " + table + " SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,"
                + " next_attempt_at = ?, lease_until = NULL WHERE seq = ?";
        this.redeliver = "UPDATE " + table + " SET state = 'pending', attempts = 0, created_at = ?, next_attempt_at = ?,"
                + " lease_until = NULL WHERE seq = ? AND state = 'dead'";
    }

    /** Leases those of {@code due} that are still free until {@code leaseUntil}; returns them. */
    <T> List<T> lease(Connection c, List<T> due, ToLongFunction<T> seq, long now, long leaseUntil) throws SQLException {
        try (TransactionStatements st = new TransactionStatements(c)) {
            for (T d : due) {
                st.addBatch(lease, leaseUntil, seq.applyAsLong(d), now);
            }
            int[] counts = st.executeBatch(lease);
            List<T> leased = new ArrayList<>(due.size());
            for (int i = 0; i < counts.length; i++) {
                // taken only if still free: another hub replica on the same PostgreSQL may have leased it
                // since the SELECT (its UPDATE holds the row until it commits; ours then matches nothing)
                if (counts[i] == 1) {
                    leased.add(due.get(i));
                }
            }
            return leased;
        }
    }

    /** Records what became of a round's deliveries, each kind's statement sent once with all its rows. */
    void settle(Connection c, List<WebhookOutcome> outcomes) throws SQLException {
        try (TransactionStatements st = new TransactionStatements(c)) {
            for (WebhookOutcome o : outcomes) {
                switch (o.kind()) {
                    case DELIVERED -> st.addBatch(delivered, o.status(), o.at(), o.seq());
                    case FAILED, DEAD -> st.addBatch(failed, stateAfterFailure(o.kind() == WebhookOutcome.Kind.DEAD),
                            o.status(), o.error(), o.at(), o.seq());
                    case RELEASED -> st.addBatch(release, o.seq());
                }
            }
            for (String sql : List.of(delivered, failed, release)) {
                st.executeBatch(sql);
            }
        }
    }

    int delivered(Connection c, long seq, int status, long now) throws SQLException {
        return Jdbc.update(c, delivered, status, now, seq);
    }

    int release(Connection c, long seq) throws SQLException {
        return Jdbc.update(c, release, seq);
    }

    int failed(Connection c, long seq, int status, String error, long nextAttemptAt, boolean dead) throws SQLException {
        return Jdbc.update(c, failed, stateAfterFailure(dead), status, error, nextAttemptAt, seq);
    }

    /** A failed attempt leaves the delivery pending (tried again at its next attempt) or, given up, dead. */
    private static String stateAfterFailure(boolean dead) {
        return dead ? "dead" : "pending";
    }

    /** @return false when {@code seq} is no dead letter */
    boolean redeliver(Connection c, long seq, long now) throws SQLException {
        return Jdbc.update(c, redeliver, now, now, seq) == 1;
    }
}

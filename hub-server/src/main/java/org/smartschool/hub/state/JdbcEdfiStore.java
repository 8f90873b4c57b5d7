package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.forward.WebhookDelivery;
import org.smartschool.hub.forward.edfi.EdfiDelivery;
import org.smartschool.hub.forward.edfi.EdfiResourceRef;
import org.smartschool.hub.forward.edfi.EdfiStore;

/**
 * The Ed-Fi queue and resource ids in the state database (migration V5). {@link #enqueue} runs inside
 * the transaction that queues the event's webhook deliveries ({@link JdbcAttendanceOutbox}).
 */
public final class JdbcEdfiStore implements EdfiStore {
    private static final String DELIVERY = "seq, event_id, school, line, body, created_at, attempts, next_attempt_at, state,"
            + " last_status, last_error";
    /** The head of each line only, due and not leased (parameters: now, now). */
    private static final String DUE_HEADS = " WHERE d.state = 'pending' AND d.next_attempt_at <= ?"
            + " AND (d.lease_until IS NULL OR d.lease_until < ?)"
            + " AND d.seq = (SELECT MIN(h.seq) FROM edfi_delivery h WHERE h.line = d.line AND h.state = 'pending')";

    private final Jdbc jdbc;
    private final DeliveryQueue queue = new DeliveryQueue("edfi_delivery");

    public JdbcEdfiStore(StateDatabase db) {
        this.jdbc = new Jdbc(db);
    }

    /**
     * Queues an event on the caller's connection, in its transaction.
     *
     * @return false when an event with this id was queued before (a replay)
     */
    static boolean enqueue(Connection c, AttendanceEvent event, String body, long now) throws SQLException {
        long seq = Jdbc.query(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM edfi_delivery", rs -> rs.getLong(1)).get(0);
        return Jdbc.update(c, "INSERT INTO edfi_delivery (" + DELIVERY + ") VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'pending', 0, NULL)"
                + " ON CONFLICT (event_id) DO NOTHING", seq, event.eventId(), event.school(), line(event), body, now, now) == 1;
    }

    /** The events that keep their order: one learner's at one school. */
    static String line(AttendanceEvent event) {
        return event.school() + "|" + event.learnerId();
    }

    @Override
    public boolean anyDue(long now) {
        return jdbc.read(c -> !Jdbc.query(c, "SELECT 1 FROM edfi_delivery d" + DUE_HEADS + " LIMIT 1", rs -> 1, now, now).isEmpty());
    }

    @Override
    public List<EdfiDelivery> claimDue(long now, long leaseUntil, int max) {
        return jdbc.write(c -> {
            List<EdfiDelivery> due = Jdbc.query(c, "SELECT " + qualified() + " FROM edfi_delivery d" + DUE_HEADS
                    + " ORDER BY d.next_attempt_at, d.seq LIMIT ?", JdbcEdfiStore::delivery, now, now, max);
            return queue.lease(c, due, EdfiDelivery::seq, now, leaseUntil);
        });
    }

    @Override
    public Optional<EdfiResourceRef> resource(String slot) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT slot, resource, resource_id, descriptor FROM edfi_resource WHERE slot = ?",
                rs -> new EdfiResourceRef(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), slot))
                .stream().findFirst();
    }

    @Override
    public boolean sharedWithOtherSlot(String resourceId, String slot) {
        return jdbc.read(c -> !Jdbc.query(c, "SELECT 1 FROM edfi_resource WHERE resource_id = ? AND slot <> ? LIMIT 1",
                rs -> 1, resourceId, slot).isEmpty());
    }

    @Override
    public void delivered(long seq, int status, long now, String slot, EdfiResourceRef resource) {
        jdbc.write(c -> {
            queue.delivered(c, seq, status, now);
            Jdbc.update(c, "DELETE FROM edfi_resource WHERE slot = ?", slot);
            if (resource != null) {
                Jdbc.update(c, "INSERT INTO edfi_resource (slot, resource, resource_id, descriptor, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?)", slot, resource.resource(), resource.id(), resource.descriptor(), now);
            }
            return null;
        });
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
    public List<EdfiDelivery> deadLetters(int max) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + DELIVERY + " FROM edfi_delivery WHERE state = 'dead' ORDER BY seq LIMIT ?",
                JdbcEdfiStore::delivery, max));
    }

    @Override
    public boolean redeliver(long seq, long now) {
        return jdbc.write(c -> queue.redeliver(c, seq, now));
    }

    @Override
    public Optional<EdfiDelivery> delivery(long seq) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + DELIVERY + " FROM edfi_delivery WHERE seq = ?",
                JdbcEdfiStore::delivery, seq)).stream().findFirst();
    }

    private static String qualified() {
        return "d." + DELIVERY.replace(", ", ", d.");
    }

    private static EdfiDelivery delivery(ResultSet rs) throws SQLException {
        return new EdfiDelivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getInt(7), rs.getLong(8), WebhookDelivery.State.of(rs.getString(9)), rs.getInt(10),
                rs.getString(11));
    }
}

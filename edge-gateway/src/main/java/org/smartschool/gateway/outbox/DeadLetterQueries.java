package org.smartschool.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The SELECTs on the two dead-letter tables, shared by {@link Outbox} and {@link DeadLetterArchive}. */
final class DeadLetterQueries {
    private DeadLetterQueries() {
    }

    static List<DeadLetter> deadLetters(Connection db, int max) throws SQLException {
        List<DeadLetter> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, topic, content_type, payload, received_at, reason, at"
                + " FROM device_dead_letters ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] payload = rs.getBytes(4);
                    out.add(new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3),
                            payload == null ? new byte[0] : payload, rs.getLong(5), rs.getString(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    static List<RefusedBatch> refusedBatches(Connection db, int max) throws SQLException {
        List<RefusedBatch> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, batch_id, topic, reason, at, records"
                + " FROM refused_batches ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(refused(rs));
                }
            }
        }
        return out;
    }

    static RefusedBatch refusedBatch(Connection db, long id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT id, batch_id, topic, reason, at, records"
                + " FROM refused_batches WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? refused(rs) : null;
            }
        }
    }

    private static RefusedBatch refused(ResultSet rs) throws SQLException {
        return new RefusedBatch(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6));
    }
}

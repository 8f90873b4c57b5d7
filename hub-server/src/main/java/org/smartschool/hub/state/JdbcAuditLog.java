package org.smartschool.hub.state;

import java.util.ArrayList;
import java.util.List;

import org.smartschool.hub.auth.AuditEntry;
import org.smartschool.hub.auth.AuditLog;

/** The audit log in the state database (table {@code audit_log} of V8). */
final class JdbcAuditLog implements AuditLog {
    private final Jdbc jdbc;

    JdbcAuditLog(StateDatabase db) {
        this.jdbc = new Jdbc(db);
    }

    @Override
    public void record(AuditEntry e) {
        jdbc.write(c -> Jdbc.update(c, "INSERT INTO audit_log (at, actor, role, school, action, target, status)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", e.at(), e.actor(), e.role(), e.school(), e.action(), e.target(), e.status()));
    }

    @Override
    public List<AuditEntry> entries(String school, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (school != null) {
            sql.append(" AND school = ?");
            parameters.add(school);
        }
        if (before != null) {
            sql.append(" AND id < ?");
            parameters.add(before);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(limit);
        return jdbc.read(c -> Jdbc.query(c, sql.toString(), rs -> new AuditEntry(rs.getLong("id"), rs.getLong("at"),
                rs.getString("actor"), rs.getString("role"), rs.getString("school"), rs.getString("action"),
                rs.getString("target"), rs.getInt("status")), parameters.toArray()));
    }
}

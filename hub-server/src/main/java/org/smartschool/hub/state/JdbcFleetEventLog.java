package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventQuery;
import org.smartschool.hub.fleet.FleetEventType;

/**
 * The fleet event log in the state database (table {@code fleet_event}), through its pool. An event is
 * committed with the database's full durability before {@link #record} returns. Queries name only the
 * filters given, so that each can use its index (a {@code ? IS NULL OR column = ?} condition defeats them).
 */
public final class JdbcFleetEventLog implements FleetEventLog {
    private static final String COLUMNS = "SELECT ts, gateway, school, type, detail, cause, room, device FROM fleet_event";
    private static final String INSERT = "INSERT INTO fleet_event (ts, gateway, school, type, detail, cause, room, device)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final StateDatabase db;
    private final boolean ownsDatabase;

    /** On a database another owner closes. */
    public JdbcFleetEventLog(StateDatabase db) {
        this(db, false);
    }

    private JdbcFleetEventLog(StateDatabase db, boolean ownsDatabase) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
    }

    /** Opens (and migrates) the database {@code config} names, owned by the returned log. */
    public static JdbcFleetEventLog open(StateConfig config) {
        return new JdbcFleetEventLog(StateDatabase.open(config), true);
    }

    @Override
    public void record(FleetEvent event) {
        try (Connection c = db.connection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setLong(1, event.time());
            insert.setString(2, event.gateway());
            insert.setString(3, event.school());
            insert.setString(4, event.type().label());
            insert.setString(5, event.detail());
            insert.setString(6, event.cause());
            insert.setString(7, event.room());
            insert.setString(8, event.device());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a fleet event in " + db + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<FleetEvent> events(String gateway, long fromMillis, long toMillis, int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE ");
        filter(sql, parameters, "gateway", gateway);
        sql.append("ts >= ? AND ts < ? ORDER BY ts, id LIMIT ?");
        parameters.add(fromMillis);
        parameters.add(toMillis);
        parameters.add(limit);
        return select(sql.toString(), parameters);
    }

    @Override
    public List<FleetEvent> query(FleetEventQuery query) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE ");
        filter(sql, parameters, "school", query.school());
        filter(sql, parameters, "gateway", query.gateway());
        filter(sql, parameters, "type", query.type() == null ? null : query.type().label());
        sql.append("ts >= ? AND ts < ? ORDER BY ts DESC, id DESC LIMIT ?");
        parameters.add(query.fromMillis());
        parameters.add(query.toMillis());
        parameters.add(query.limit());
        return select(sql.toString(), parameters);
    }

    private static void filter(StringBuilder sql, List<Object> parameters, String column, String value) {
        if (value != null) {
            sql.append(column).append(" = ? AND ");
            parameters.add(value);
        }
    }

    private List<FleetEvent> select(String sql, List<Object> parameters) {
        try (Connection c = db.connection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object p = parameters.get(i);
                if (p instanceof String text) {
                    select.setString(i + 1, text);
                } else if (p instanceof Integer n) {
                    select.setInt(i + 1, n);
                } else {
                    select.setLong(i + 1, (Long) p);
                }
            }
            List<FleetEvent> out = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(new FleetEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                            FleetEventType.ofLabel(rs.getString(4)), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read fleet events from " + db + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcFleetEventLog[" + db + "]";
    }
}

package org.smartschool.hub.state;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.alarm.Acknowledgement;
import org.smartschool.hub.alarm.AlarmConflictException;
import org.smartschool.hub.alarm.AlarmHistoryEntry;
import org.smartschool.hub.alarm.AlarmLifecycle;
import org.smartschool.hub.alarm.AlarmQuery;
import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.alarm.AlarmStore;
import org.smartschool.hub.forward.AlarmEvents;

/**
 * Alarms in the state database (tables {@code alarm} and {@code alarm_history}, migration V3).
 *
 * <p>Each step starts by inserting its history line: the key is unique, so a replayed transition
 * inserts nothing and the transaction ends there, and the insert takes SQLite's write lock before
 * the alarm is read, so two writers never both read and then both write. With PostgreSQL the
 * alarm row is read {@code FOR UPDATE}, so hub replicas apply one alarm's steps one at a time.
 */
public final class JdbcAlarmStore implements AlarmStore {
    private static final String COLUMNS = "id, school, room, device, rule, severity, raised_at, severity_at, cleared_at,"
            + " ack_by, ack_note, ack_at, escalated_at, detail, judged_value";

    private final Jdbc jdbc;
    private final boolean postgres;
    private final Clock clock;

    /** @param clock when steps are queued for the webhooks (their retry deadline starts then) */
    public JdbcAlarmStore(StateDatabase db, Clock clock) {
        this.jdbc = new Jdbc(db);
        this.postgres = db.usesPostgres();
        this.clock = clock;
    }

    @Override
    public Optional<AlarmLifecycle.Step> apply(AlarmTransition t) {
        return jdbc.write(c -> {
            AlarmLifecycle.Step probe = AlarmLifecycle.apply(null, t); // its history line depends on the transition alone
            if (!insertHistory(c, probe.entry())) {
                return Optional.empty();
            }
            Optional<AlarmRecord> current = lock(c, t.alarmId());
            AlarmLifecycle.Step step = current.isEmpty() ? probe : AlarmLifecycle.apply(current.get(), t);
            save(c, step.alarm(), current.isPresent());
            forward(c, step);
            return Optional.of(step);
        });
    }

    @Override
    public AlarmLifecycle.Step acknowledge(String alarmId, Acknowledgement ack) throws AlarmConflictException {
        AlarmConflictException[] conflict = {null};
        AlarmLifecycle.Step step = jdbc.write(c -> {
            // claims the acknowledgement first: of two people at once, exactly one gets it
            int claimed = Jdbc.update(c, "UPDATE alarm SET ack_by = ?, ack_note = ?, ack_at = ? WHERE id = ? AND ack_by IS NULL",
                    ack.by(), ack.note(), ack.at(), alarmId);
            AlarmRecord current = lock(c, alarmId).orElseThrow(() -> new NoSuchElementException("no alarm " + alarmId));
            if (claimed == 0) {
                conflict[0] = new AlarmConflictException("alarm " + alarmId + " was already acknowledged by "
                        + current.acknowledgement().by());
                return null;
            }
            AlarmRecord before = new AlarmRecord(current.id(), current.school(), current.room(), current.device(),
                    current.rule(), current.severity(), current.raisedAt(), current.severityAt(), current.clearedAt(), null,
                    current.escalatedAt(), current.detail(), current.value());
            AlarmLifecycle.Step acked;
            try {
                acked = AlarmLifecycle.acknowledge(before, ack);
            } catch (AlarmConflictException e) {
                throw new IllegalStateException("an alarm without acknowledgement refused one", e);
            }
            insertHistory(c, acked.entry());
            forward(c, acked);
            return acked;
        });
        if (conflict[0] != null) {
            throw conflict[0];
        }
        return step;
    }

    @Override
    public List<AlarmLifecycle.Step> escalateDue(long now, long afterMillis) {
        List<String> due = jdbc.read(c -> Jdbc.query(c, "SELECT id FROM alarm WHERE cleared_at IS NULL AND ack_by IS NULL"
                + " AND escalated_at IS NULL AND raised_at <= ? ORDER BY raised_at", rs -> rs.getString(1), now - afterMillis));
        List<AlarmLifecycle.Step> steps = new ArrayList<>();
        for (String id : due) {
            jdbc.write(c -> {
                Optional<AlarmRecord> current = lock(c, id);
                Optional<AlarmLifecycle.Step> step = current.flatMap(a -> AlarmLifecycle.escalate(a, now, afterMillis));
                if (step.isPresent() && insertHistory(c, step.get().entry())) {
                    Jdbc.update(c, "UPDATE alarm SET escalated_at = ? WHERE id = ?", step.get().alarm().escalatedAt(), id);
                    forward(c, step.get());
                    steps.add(step.get());
                }
                return null;
            });
        }
        return steps;
    }

    @Override
    public Optional<AlarmRecord> alarm(String alarmId) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + COLUMNS + " FROM alarm WHERE id = ?", JdbcAlarmStore::record, alarmId)
                .stream().findFirst());
    }

    @Override
    public Optional<AlarmRecord> open(String school, String room, String device, String rule) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + COLUMNS + " FROM alarm WHERE school = ? AND room = ? AND device = ?"
                + " AND rule = ? AND cleared_at IS NULL ORDER BY raised_at DESC LIMIT 1", JdbcAlarmStore::record,
                school, room, device, rule)).stream().findFirst();
    }

    @Override
    public List<AlarmHistoryEntry> history(String alarmId) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT step_key, alarm_id, at, what, severity, by_whom, note, detail"
                + " FROM alarm_history WHERE alarm_id = ? ORDER BY at, step_key", rs -> new AlarmHistoryEntry(
                rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), severity(rs.getString(5)),
                rs.getString(6), rs.getString(7), rs.getString(8)), alarmId));
    }

    @Override
    public List<AlarmRecord> alarms(AlarmQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alarm WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (q.school() != null) {
            sql.append(" AND school = ?");
            parameters.add(q.school());
        }
        if (q.status() != null) {
            sql.append(switch (q.status()) {
                case ACTIVE -> " AND cleared_at IS NULL AND ack_by IS NULL";
                case ACKNOWLEDGED -> " AND cleared_at IS NULL AND ack_by IS NOT NULL";
                case CLEARED -> " AND cleared_at IS NOT NULL";
            });
        }
        if (q.severity() != null) {
            sql.append(" AND severity = ?");
            parameters.add(q.severity().id());
        }
        if (q.from() != null) {
            sql.append(" AND raised_at >= ?");
            parameters.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND raised_at < ?");
            parameters.add(q.to());
        }
        sql.append(" ORDER BY raised_at DESC, id LIMIT ?");
        parameters.add(q.limit());
        return jdbc.read(c -> Jdbc.query(c, sql.toString(), JdbcAlarmStore::record, parameters.toArray()));
    }

    // ---- rows ----

    /** Queues the step for the webhooks in the same transaction: the step and its deliveries commit together. */
    private void forward(Connection c, AlarmLifecycle.Step step) throws SQLException {
        JdbcWebhookStore.enqueue(c, step.alarm().school(), "", AlarmEvents.type(step.entry()), step.alarm().severity(),
                AlarmEvents.webhookId(step.entry()), new String(AlarmEvents.body(step.entry(), step.alarm()),
                        StandardCharsets.UTF_8), clock.millis());
    }

    private Optional<AlarmRecord> lock(Connection c, String id) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM alarm WHERE id = ?" + (postgres ? " FOR UPDATE" : "");
        return Jdbc.query(c, sql, JdbcAlarmStore::record, id).stream().findFirst();
    }

    private static boolean insertHistory(Connection c, AlarmHistoryEntry e) throws SQLException {
        return Jdbc.update(c, "INSERT INTO alarm_history (step_key, alarm_id, at, what, severity, by_whom, note, detail)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (step_key) DO NOTHING", e.key(), e.alarmId(), e.at(),
                e.what(), e.severity().id(), e.by(), e.note(), e.detail()) == 1;
    }

    private static void save(Connection c, AlarmRecord a, boolean exists) throws SQLException {
        Double value = Double.isNaN(a.value()) ? null : a.value();
        if (exists) {
            Jdbc.update(c, "UPDATE alarm SET severity = ?, severity_at = ?, cleared_at = ?, detail = ?, judged_value = ?"
                    + " WHERE id = ?", a.severity().id(), a.severityAt(), a.clearedAt(), a.detail(), value, a.id());
        } else {
            Jdbc.update(c, "INSERT INTO alarm (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, ?)",
                    a.id(), a.school(), a.room(), a.device(), a.rule(), a.severity().id(), a.raisedAt(), a.severityAt(),
                    a.clearedAt(), a.detail(), value);
        }
    }

    private static AlarmRecord record(ResultSet rs) throws SQLException {
        double value = rs.getDouble("judged_value");
        boolean noValue = rs.wasNull();
        String ackBy = rs.getString("ack_by");
        Acknowledgement ack = ackBy == null ? null
                : new Acknowledgement(ackBy, rs.getString("ack_note"), rs.getLong("ack_at"));
        return new AlarmRecord(rs.getString("id"), rs.getString("school"), rs.getString("room"), rs.getString("device"),
                rs.getString("rule"), severity(rs.getString("severity")), rs.getLong("raised_at"), rs.getLong("severity_at"),
                Jdbc.longOrNull(rs, "cleared_at"), ack, Jdbc.longOrNull(rs, "escalated_at"), rs.getString("detail"),
                noValue ? Double.NaN : value);
    }

    private static Severity severity(String id) {
        return Severity.byId(id).orElseThrow(() -> new IllegalStateException("state database holds an unknown severity: " + id));
    }
}

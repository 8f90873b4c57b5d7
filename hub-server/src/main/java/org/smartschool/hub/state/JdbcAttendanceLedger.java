package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.attendance.AttendanceDeadLetter;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.attendance.AttendanceLedger;
import org.smartschool.hub.attendance.DailyAttendance;
import org.smartschool.hub.store.BatchOutcome;

/**
 * The attendance ledger in the state database (migration V7): in the transaction that queues an event for
 * forwarding ({@link JdbcAttendanceOutbox#queue}), its id is taken once and its slot's count moved, so a crash
 * leaves either both or neither, and a replay neither.
 */
public final class JdbcAttendanceLedger implements AttendanceLedger {
    private static final String SLOT_COLUMNS = "event_id, school, learner_id, class_id, school_date, session_id, period, category, decided_at";

    private final Jdbc jdbc;
    /** PostgreSQL: a slot's row is read FOR UPDATE, so that two replicas taking events of one slot move its count once each. */
    private final String lockRow;
    /** SQLite: this process's writer holds the whole file for a transaction, so a delivery number is counted on, not read again. */
    private final boolean soleWriter;
    private final Predicate<String> edfiSchools;
    private final Clock clock;
    private final Runnable wake;
    /** Held by the thread whose transaction takes the waiting batches. */
    private final Object leader = new Object();
    /** Batches handed to {@link #record} and not yet in a transaction. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Waiting> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * @param edfiSchools whether a school's events go to Ed-Fi ({@code EdfiMapping::covers})
     * @param wake        called after events were queued: the dispatchers look at once
     */
    public JdbcAttendanceLedger(StateDatabase db, Predicate<String> edfiSchools, Clock clock, Runnable wake) {
        this.jdbc = new Jdbc(db);
        this.lockRow = db.usesPostgres() ? " FOR UPDATE" : ""; // SQLite: the write transaction holds the whole file
        this.soleWriter = !db.usesPostgres();
        this.edfiSchools = edfiSchools;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public Recorded record(List<AttendanceEvent> events, Batch batch) {
        if (events.isEmpty() && batch == null) {
            return new Recorded(List.of(), 0, 0);
        }
        // group commit: the batches of the store threads that wait for the state database meanwhile go into the
        // transaction of whichever takes it first, one commit (and one fsync) for all (README, performance)
        Waiting mine = new Waiting(events, batch);
        waiting.add(mine);
        List<Waiting> group = new ArrayList<>();
        synchronized (leader) {
            if (mine.taken) {
                return result(mine); // a transaction before took this batch: no empty transaction of its own
            }
            try {
                Map<Waiting, Recorded> done = jdbc.write(c -> {
                    group.clear();
                    for (Waiting w; (w = waiting.poll()) != null; ) {
                        w.taken = true;
                        group.add(w);
                    }
                    Map<Waiting, Recorded> results = new java.util.IdentityHashMap<>();
                    long now = clock.millis();
                    try (TransactionStatements st = new TransactionStatements(c)) {
                        JdbcWebhookStore.Queueing webhooks = new JdbcWebhookStore.Queueing(st, soleWriter);
                        for (Waiting w : group) {
                            results.put(w, record(c, st, webhooks, w.events, w.batch, now));
                        }
                    }
                    return results;
                });
                done.forEach((w, r) -> w.result.complete(r));
                if (done.values().stream().anyMatch(r -> r.newEvents() > 0)) {
                    wake.run();
                }
            } catch (RuntimeException e) {
                // the whole group rolled back: each batch once more in a transaction of its own, so that one batch's
                // failure (PostgreSQL: a slot two replicas created at once) refuses that batch only
                for (Waiting w : group) {
                    if (w != mine) {
                        w.result.completeAsync(() -> alone(w.events, w.batch), Runnable::run);
                    }
                }
                if (!group.contains(mine)) {
                    waiting.remove(mine); // the transaction failed before it took any batch: refused, not left behind
                    throw e;
                }
                return alone(events, batch);
            }
        }
        return result(mine);
    }

    private static Recorded result(Waiting mine) {
        try {
            return mine.result.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e; // as if this thread had run the transaction
        }
    }

    private Recorded alone(List<AttendanceEvent> events, Batch batch) {
        Recorded recorded = jdbc.write(c -> {
            try (TransactionStatements st = new TransactionStatements(c)) {
                return record(c, st, new JdbcWebhookStore.Queueing(st, soleWriter), events, batch, clock.millis());
            }
        });
        if (recorded.newEvents() > 0) {
            wake.run();
        }
        return recorded;
    }

    /** A batch's events waiting for the transaction that takes them. */
    private static final class Waiting {
        final List<AttendanceEvent> events;
        /** Recorded with the events, or null. */
        final Batch batch;
        final java.util.concurrent.CompletableFuture<Recorded> result = new java.util.concurrent.CompletableFuture<>();
        /** In a transaction already (set and read under {@code leader}). */
        boolean taken;

        Waiting(List<AttendanceEvent> events, Batch batch) {
            this.events = events;
            this.batch = batch;
        }
    }

    /** The events in {@code c}'s transaction, through its statements {@code st} (each prepared once for the whole group). */
    private Recorded record(Connection c, TransactionStatements st, JdbcWebhookStore.Queueing webhooks,
                            List<AttendanceEvent> events, Batch batch, long now) throws SQLException {
        Map<String, AttendanceEvent> groups = new LinkedHashMap<>();
        int fresh = 0;
        for (AttendanceEvent e : events) {
            groups.putIfAbsent(AttendanceCounts.none(e).group(), e);
            if (st.update("INSERT INTO attendance_event (event_id, slot, category, decided_at, received_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                    e.eventId(), e.slot(), e.category().id(), e.at(), now) == 0) {
                continue; // a replay
            }
            fresh++;
            JdbcAttendanceOutbox.queue(c, webhooks, e, now, edfiSchools);
            applyToSlot(st, e, lockRow);
        }
        List<AttendanceCounts> counts = new ArrayList<>();
        for (AttendanceEvent e : groups.values()) {
            counts.add(counts(st, e));
        }
        BatchOutcome outcome = batch == null ? null : JdbcHubState.recordIn(st, batch, now);
        return new Recorded(List.copyOf(counts), fresh, events.size() - fresh, outcome);
    }

    /**
     * The newest decision of a slot wins: a later {@code at}, or at the same instant the greater event id. A slot's
     * first decision (the common case) takes one statement; a slot that exists is read (locked on PostgreSQL, where
     * a slot another replica creates meanwhile is waited for and then read) and compared.
     */
    private static void applyToSlot(TransactionStatements st, AttendanceEvent e, String lockRow) throws SQLException {
        if (st.update("INSERT INTO attendance_slot (slot, " + SLOT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (slot) DO NOTHING",
                e.slot(), e.eventId(), e.school(), e.learnerId(), e.classId(), e.date().toString(), e.session(),
                period(e.period()), e.category().id(), e.at()) == 1) {
            move(st, e, null, e.category());
            return;
        }
        AttendanceEvent old = st.query("SELECT " + SLOT_COLUMNS + " FROM attendance_slot WHERE slot = ?" + lockRow,
                JdbcAttendanceLedger::event, e.slot()).stream().findFirst()
                .orElseThrow(() -> new SQLException("attendance_slot: a slot neither inserted nor found")); // never quotes the slot: it holds a learner id
        boolean newer = e.at() > old.at() || e.at() == old.at() && e.eventId().compareTo(old.eventId()) > 0;
        if (!newer) {
            return; // an older decision arriving late: forwarded (the SMS orders by time), not counted
        }
        st.update("UPDATE attendance_slot SET event_id = ?, category = ?, decided_at = ? WHERE slot = ?",
                e.eventId(), e.category().id(), e.at(), e.slot());
        if (old.category() != e.category()) {
            move(st, e, old.category(), e.category());
        }
    }

    private static void move(TransactionStatements st, AttendanceEvent e, AttendanceCategory from, AttendanceCategory to)
            throws SQLException {
        Object[] group = {e.school(), e.date().toString(), e.classId(), e.session(), period(e.period())};
        if (from != null) {
            st.update("UPDATE attendance_count SET learners = learners - 1 WHERE school = ? AND school_date = ?"
                    + " AND class_id = ? AND session_id = ? AND period = ? AND category = ?", append(group, from.id()));
        }
        st.update("INSERT INTO attendance_count (school, school_date, class_id, session_id, period, category, learners)"
                + " VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (school, school_date, class_id, session_id, period, category)"
                + " DO UPDATE SET learners = attendance_count.learners + 1", append(group, to.id()));
    }

    private static AttendanceCounts counts(TransactionStatements st, AttendanceEvent e) throws SQLException {
        AttendanceCounts counts = AttendanceCounts.none(e);
        for (Object[] row : st.query("SELECT category, learners FROM attendance_count WHERE school = ? AND school_date = ?"
                        + " AND class_id = ? AND session_id = ? AND period = ?",
                rs -> new Object[] {rs.getString(1), rs.getInt(2)},
                e.school(), e.date().toString(), e.classId(), e.session(), period(e.period()))) {
            Optional<AttendanceCategory> category = AttendanceCategory.byId((String) row[0]);
            if (category.isPresent()) {
                counts = counts.with(category.get(), (Integer) row[1]);
            }
        }
        return counts;
    }

    @Override
    public void deadLetter(AttendanceDeadLetter l) {
        jdbc.write(c -> Jdbc.update(c, "INSERT INTO attendance_dead_letter (school, gateway, batch_id, event_id, reason,"
                + " attributes, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (gateway, batch_id, event_id) DO NOTHING",
                l.school(), l.gateway(), l.batchId(), l.eventId(), l.reason(), l.attributesJson(), l.receivedAt()));
    }

    @Override
    public List<AttendanceCounts> counts(String school, LocalDate date) {
        return jdbc.read(c -> {
            Map<String, AttendanceCounts> groups = new LinkedHashMap<>();
            Jdbc.query(c, "SELECT class_id, session_id, period, category, learners FROM attendance_count"
                    + " WHERE school = ? AND school_date = ? ORDER BY class_id, session_id, period, category", rs -> {
                        String period = rs.getString(3);
                        AttendanceCounts none = new AttendanceCounts(school, date, rs.getString(1), rs.getString(2),
                                period.isEmpty() ? null : period, 0, 0, 0, 0);
                        AttendanceCounts counts = groups.getOrDefault(none.group(), none);
                        Optional<AttendanceCategory> category = AttendanceCategory.byId(rs.getString(4));
                        if (category.isPresent()) {
                            counts = counts.with(category.get(), rs.getInt(5));
                        }
                        groups.put(none.group(), counts);
                        return null;
                    }, school, date.toString());
            return List.copyOf(groups.values());
        });
    }

    @Override
    public List<AttendanceEvent> records(String school, LocalDate date) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + SLOT_COLUMNS + " FROM attendance_slot WHERE school = ? AND school_date = ?"
                + " ORDER BY class_id, session_id, period, learner_id", JdbcAttendanceLedger::event, school, date.toString()));
    }

    @Override
    public List<AttendanceEvent> history(String school, String learnerId, LocalDate from, LocalDate to) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT " + SLOT_COLUMNS + " FROM attendance_slot WHERE school = ? AND learner_id = ?"
                + " AND school_date >= ? AND school_date <= ? ORDER BY school_date, decided_at, class_id, session_id, period",
                JdbcAttendanceLedger::event, school, learnerId, from.toString(), to.toString()));
    }

    @Override
    public List<DailyAttendance> daily(LocalDate from, LocalDate to) {
        return jdbc.read(c -> {
            Map<String, long[]> days = new LinkedHashMap<>();
            Jdbc.query(c, "SELECT school, school_date, category, SUM(learners) FROM attendance_count"
                    + " WHERE school_date >= ? AND school_date <= ? GROUP BY school, school_date, category"
                    + " ORDER BY school, school_date, category", rs -> {
                        long[] n = days.computeIfAbsent(rs.getString(1) + "|" + rs.getString(2), k -> new long[4]);
                        Optional<AttendanceCategory> category = AttendanceCategory.byId(rs.getString(3));
                        if (category.isPresent()) {
                            n[category.get().ordinal()] = rs.getLong(4);
                        }
                        return null;
                    }, from.toString(), to.toString());
            List<DailyAttendance> out = new ArrayList<>();
            days.forEach((key, n) -> {
                int bar = key.indexOf('|');
                out.add(new DailyAttendance(key.substring(0, bar), LocalDate.parse(key.substring(bar + 1)),
                        n[AttendanceCategory.PRESENT.ordinal()], n[AttendanceCategory.LATE.ordinal()],
                        n[AttendanceCategory.EXCUSED_ABSENCE.ordinal()], n[AttendanceCategory.UNEXCUSED_ABSENCE.ordinal()]));
            });
            return out;
        });
    }

    @Override
    public boolean hasSchool(String school) {
        return jdbc.read(c -> !Jdbc.query(c, "SELECT 1 FROM attendance_slot WHERE school = ? LIMIT 1", rs -> 1, school).isEmpty());
    }

    @Override
    public List<AttendanceDeadLetter> deadLetters(String school, int limit) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT id, school, gateway, batch_id, event_id, reason, attributes, received_at"
                + " FROM attendance_dead_letter WHERE school = ? ORDER BY id DESC LIMIT ?",
                rs -> new AttendanceDeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8)), school, limit));
    }

    private static AttendanceEvent event(ResultSet rs) throws SQLException {
        String period = rs.getString("period");
        return new AttendanceEvent(rs.getString("event_id"), rs.getString("school"), rs.getString("learner_id"),
                rs.getString("class_id"), LocalDate.parse(rs.getString("school_date")), rs.getString("session_id"),
                period.isEmpty() ? null : period, AttendanceCategory.byId(rs.getString("category")).orElseThrow(
                        () -> new IllegalStateException("attendance_slot holds an unknown category")),
                rs.getLong("decided_at"));
    }

    private static String period(String period) {
        return period == null ? "" : period;
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = last;
        return out;
    }
}

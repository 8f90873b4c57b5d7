package org.smartschool.gateway.outbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * The gateway's durable queue of records waiting for the hub, and its dead-letter table, in one
 * SQLite file.
 *
 * <p>A record is in the outbox once {@link #append} returns, and leaves it only through
 * {@link #remove} (after the hub's PUBACK) or {@link #moveToDeadLetters} (the hub refused it).
 * The outbox is bounded: when it holds {@code maxRecords}, {@code append} waits for the uplink to
 * make room instead of dropping anything; the school's broker keeps the devices' messages
 * meanwhile, since they are acknowledged only after {@code append} returns.
 *
 * <p>Thread-safe: meant for one writer (the south side) and one reader (the uplink). One
 * connection, used under one lock; every operation is a short statement or transaction.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Path path;
    private final long maxRecords;
    private final int maxDeadLetters;
    private final Connection db;
    private final RecordJson json = new RecordJson();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long size;
    private boolean closed;

    private Outbox(Path path, long maxRecords, int maxDeadLetters, Connection db) throws SQLException {
        this.path = path;
        this.maxRecords = maxRecords;
        this.maxDeadLetters = maxDeadLetters;
        this.db = db;
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM records")) {
            rs.next();
            this.size = rs.getLong(1);
        }
    }

    /**
     * Opens (or creates) the outbox file.
     *
     * @throws OutboxException when the file cannot be opened or is not an outbox
     */
    public static Outbox open(Path path, long maxRecords, int maxDeadLetters) {
        if (maxRecords < 1 || maxDeadLetters < 1) {
            throw new IllegalArgumentException("maxRecords and maxDeadLetters must be at least 1");
        }
        Connection db = null;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + path);
            try (Statement st = db.createStatement()) {
                // WAL: the uplink reads while the south side appends, and a commit is one append to
                // the log. synchronous=FULL: every commit is fsync'ed to the WAL before append()
                // returns, so a record acknowledged to a device survives a power cut (an SD-card Pi
                // on a school's mains). WAL with NORMAL would be consistent but could lose the last
                // commits on power loss, i.e. readings the devices were told were safe.
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA busy_timeout=5000");
                // AUTOINCREMENT: a seq is never reused, even after the outbox was emptied, so a batch
                // id ({gateway}-{first}-{last}) never names two different batches
                st.execute("CREATE TABLE IF NOT EXISTS records ("
                        + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " kind TEXT NOT NULL,"
                        + " body TEXT NOT NULL,"
                        + " appended_at INTEGER NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS dead_letters ("
                        + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " topic TEXT NOT NULL,"
                        + " payload BLOB NOT NULL,"
                        + " reason TEXT NOT NULL,"
                        + " at INTEGER NOT NULL)");
                seedSequence(st);
            }
            return new Outbox(path, maxRecords, maxDeadLetters, db);
        } catch (SQLException e) {
            closeQuietly(db);
            throw new OutboxException("cannot open outbox " + path + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            // e.g. AccessDeniedException: /var/lib/smartschool
            throw new OutboxException("cannot open outbox " + path + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A new outbox starts its sequence at the current epoch milliseconds, not at 1: should the file
     * be lost and recreated, its batch ids still differ from those the hub has already recorded
     * (the hub treats a known batch id as a replay). A school gateway appends far fewer than 1000
     * records per second, so a recreated outbox always starts above the old one.
     */
    private static void seedSequence(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'records'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                st.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('records', " + System.currentTimeMillis() + ")");
            }
        }
    }

    /**
     * Appends records in one transaction and returns once it is committed (durable).
     * When the outbox is full, waits until the uplink has made room for all of them (or the
     * outbox is empty, for an append larger than the whole outbox).
     *
     * @throws InterruptedException when the caller is interrupted while waiting for room; nothing was appended
     * @throws OutboxClosedException when the outbox is closed; nothing was appended
     * @throws OutboxException when SQLite fails; nothing was appended
     */
    public void append(List<Reading> readings, List<DeviceEvent> events) throws InterruptedException {
        appendWaiting(readings, events, true);
    }

    /**
     * Appends records in one transaction, like {@link #append}, but only when there is room now:
     * for a device that is told to come back later (CoAP 5.03) instead of being kept waiting.
     *
     * @return true when the records are committed; false when the outbox is full and nothing was appended
     * @throws OutboxClosedException when the outbox is closed; nothing was appended
     * @throws OutboxException when SQLite fails; nothing was appended
     */
    public boolean tryAppend(List<Reading> readings, List<DeviceEvent> events) {
        try {
            return appendWaiting(readings, events, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean appendWaiting(List<Reading> readings, List<DeviceEvent> events, boolean wait)
            throws InterruptedException {
        int count = readings.size() + events.size();
        if (count == 0) {
            return true;
        }
        // serialize outside the lock: the uplink need not wait for Jackson
        List<String[]> rows = new ArrayList<>(count);
        readings.forEach(r -> rows.add(new String[] {RecordJson.READING, json.write(r)}));
        events.forEach(e -> rows.add(new String[] {RecordJson.EVENT, json.write(e)}));
        lock.lockInterruptibly();
        try {
            while (!closed && size > 0 && size + count > maxRecords) {
                if (!wait) {
                    return false;
                }
                changed.await();
            }
            requireOpen();
            long now = System.currentTimeMillis();
            inTransaction(() -> {
                try (PreparedStatement ps = db.prepareStatement(
                        "INSERT INTO records(kind, body, appended_at) VALUES (?, ?, ?)")) {
                    for (String[] row : rows) {
                        ps.setString(1, row[0]);
                        ps.setString(2, row[1]);
                        ps.setLong(3, now);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }, "append");
            size += count;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest records, at most {@code max}, without removing them. A row that can no longer be
     * read as a record (written by another version) is moved to the dead letters, so it cannot
     * block the outbox for ever.
     */
    public OutboxBatch peek(int max) {
        lock.lock();
        try {
            requireOpen();
            List<Reading> readings = new ArrayList<>();
            List<DeviceEvent> events = new ArrayList<>();
            List<DeadLetter> unreadable = new ArrayList<>();
            List<Long> unreadableSeqs = new ArrayList<>();
            long first = -1;
            long last = -1;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT seq, kind, body FROM records ORDER BY seq LIMIT ?")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        String kind = rs.getString(2);
                        String body = rs.getString(3);
                        try {
                            switch (kind) {
                                case RecordJson.READING -> readings.add(json.readReading(body));
                                case RecordJson.EVENT -> events.add(json.readEvent(body));
                                default -> throw new IllegalArgumentException("unknown record kind '" + kind + "'");
                            }
                            first = first < 0 ? seq : first;
                            last = seq;
                        } catch (JsonProcessingException | IllegalArgumentException e) {
                            unreadable.add(new DeadLetter("outbox", body.getBytes(StandardCharsets.UTF_8),
                                    "outbox row " + seq + " is not a readable " + kind + ": " + e.getMessage(),
                                    System.currentTimeMillis()));
                            unreadableSeqs.add(seq);
                        }
                    }
                }
            } catch (SQLException e) {
                throw new OutboxException("cannot read outbox " + path + ": " + e.getMessage(), e);
            }
            if (!unreadable.isEmpty()) {
                LOG.error("[outbox: {}] {} unreadable records moved to the dead letters", path, unreadable.size());
                inTransaction(() -> {
                    insertDeadLetters(unreadable);
                    try (PreparedStatement del = db.prepareStatement("DELETE FROM records WHERE seq = ?")) {
                        for (long seq : unreadableSeqs) {
                            del.setLong(1, seq);
                            del.addBatch();
                        }
                        del.executeBatch();
                    }
                }, "dead-letter unreadable records");
                size -= unreadable.size();
                changed.signalAll();
            }
            return new OutboxBatch(first, last, readings, events);
        } finally {
            lock.unlock();
        }
    }

    /** Removes every record up to and including {@code upToSeq}: the hub has them. */
    public void remove(long upToSeq) {
        lock.lock();
        try {
            requireOpen();
            int[] removed = new int[1];
            inTransaction(() -> {
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM records WHERE seq <= ?")) {
                    ps.setLong(1, upToSeq);
                    removed[0] = ps.executeUpdate();
                }
            }, "remove");
            size -= removed[0];
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves every record up to and including {@code upToSeq} to one dead letter (their JSON, one
     * record per line), in one transaction: the hub refused them and resending cannot help.
     */
    public void moveToDeadLetters(long upToSeq, String topic, String reason) {
        lock.lock();
        try {
            requireOpen();
            int[] moved = new int[1];
            inTransaction(() -> {
                StringBuilder lines = new StringBuilder();
                try (PreparedStatement ps = db.prepareStatement(
                        "SELECT kind, body FROM records WHERE seq <= ? ORDER BY seq")) {
                    ps.setLong(1, upToSeq);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            lines.append("{\"kind\":\"").append(rs.getString(1)).append("\",\"record\":")
                                    .append(rs.getString(2)).append("}\n");
                        }
                    }
                }
                insertDeadLetters(List.of(new DeadLetter(topic, lines.toString().getBytes(StandardCharsets.UTF_8),
                        reason, System.currentTimeMillis())));
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM records WHERE seq <= ?")) {
                    ps.setLong(1, upToSeq);
                    moved[0] = ps.executeUpdate();
                }
            }, "move to dead letters");
            size -= moved[0];
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records device messages the gateway could not route or decode; the oldest beyond the bound are trimmed. */
    public void deadLetter(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            requireOpen();
            inTransaction(() -> insertDeadLetters(letters), "dead-letter");
        } finally {
            lock.unlock();
        }
    }

    private void insertDeadLetters(List<DeadLetter> letters) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO dead_letters(topic, payload, reason, at) VALUES (?, ?, ?, ?)")) {
            for (DeadLetter letter : letters) {
                ps.setString(1, letter.topic());
                ps.setBytes(2, letter.payload());
                ps.setString(3, letter.reason());
                ps.setLong(4, letter.time());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = db.prepareStatement(
                "DELETE FROM dead_letters WHERE id <= (SELECT MAX(id) FROM dead_letters) - ?")) {
            ps.setLong(1, maxDeadLetters);
            ps.executeUpdate();
        }
    }

    /** The newest dead letters first, at most {@code max}. */
    public List<DeadLetter> deadLetters(int max) {
        lock.lock();
        try {
            requireOpen();
            List<DeadLetter> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT topic, payload, reason, at FROM dead_letters ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetter(rs.getString(1), rs.getBytes(2), rs.getString(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new OutboxException("cannot read dead letters of " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    public long deadLetterCount() {
        lock.lock();
        try {
            requireOpen();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM dead_letters")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot count dead letters of " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Records waiting for the hub. */
    public long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** When the oldest waiting record was appended (UTC epoch ms); empty when the outbox is empty. */
    public OptionalLong oldestAppendedAt() {
        lock.lock();
        try {
            requireOpen();
            try (Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT appended_at FROM records ORDER BY seq LIMIT 1")) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot read outbox " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the outbox holds at least {@code count} records, the time is up or it is closed.
     *
     * @return the number of records it holds
     */
    public long awaitSize(long count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lockInterruptibly();
        try {
            while (!closed && size < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            return size;
        } finally {
            lock.unlock();
        }
    }

    public long maxRecords() {
        return maxRecords;
    }

    public Path path() {
        return path;
    }

    /** Closes the file; callers waiting in {@link #append} get an {@link OutboxClosedException}. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
            closeQuietly(db);
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new OutboxClosedException("outbox " + path + " is closed");
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    /** Runs {@code work} in one transaction; on failure rolls back and throws an OutboxException. */
    private void inTransaction(SqlWork work, String what) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new OutboxException("outbox " + path + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            LOG.warn("[outbox: {}] rollback failed: {}", path, e.getMessage());
        }
    }

    private static void closeQuietly(Connection db) {
        if (db == null) {
            return;
        }
        try {
            db.close();
        } catch (SQLException e) {
            LOG.warn("closing the outbox failed: {}", e.getMessage());
        }
    }
}

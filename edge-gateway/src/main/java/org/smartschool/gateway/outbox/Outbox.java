package org.smartschool.gateway.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.telemetry.RateLimitedLog;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The gateway's durable queue of records waiting for the hub, with its two dead-letter tables, in
 * one SQLite file.
 *
 * <p>A record is in the outbox once an append returns, and leaves it only through {@link #remove}
 * (after the hub's PUBACK), {@link #moveToRefusedBatches} (the hub refused it) or the overflow
 * policy below.
 *
 * <p><b>Rows.</b> A row holds the readings, or the events, of one device frame in the compact form
 * of {@link CompactRecords} (about 10 bytes a reading of a 7-quantity message), with their number
 * in its {@code records} column; its seq is the one a batch id names. {@link #peek} returns whole
 * rows. Rows of files written before (one record as JSON text) are read and delivered as ever.
 *
 * <p><b>Overflow policy.</b> The outbox is bounded by records ({@code maxRecords}) and by bytes
 * ({@code maxBytes}: stored row bodies plus {@link #ROW_OVERHEAD_BYTES} per row). An append that does not
 * fit drops the oldest routine readings, in the same transaction, until it fits; each drop is
 * counted by reason ({@link #DROP_MAX_RECORDS}, {@link #DROP_MAX_BYTES}). Device events (alarms,
 * attendance taps, doors, device on/offline) are never dropped. When even dropping every waiting
 * reading cannot make room, nothing is dropped and the append is refused: {@link #append} waits for
 * the uplink, {@link #tryAppend} returns false (the device is told to come back later).
 *
 * <p><b>Disk.</b> Appends stop while the file system has less than {@code minFreeBytes} free (free
 * pages inside the file count as free): {@link DiskFullException}, nothing appended, nothing
 * dropped. Deletes after a PUBACK never stop; should the disk be full anyway, a reserve file next
 * to the outbox is given up for them.
 *
 * <p><b>Redeliveries.</b> A frame appended with a digest ({@link IntakeFrame}) is remembered for
 * {@code redeliveryWindowMillis}; a frame that may be a redelivery and whose digest is known is
 * skipped: its records are already here (or with the hub), stamped with the first arrival's time.
 *
 * <p><b>Judged appends.</b> An append may be judged ({@link Judge}: the school's rules) under the
 * outbox's lock, after redeliveries are left out and room is found: the judge adds records (alarm
 * events after the frame that caused them) and rows of its state ({@code rule_state}), stored in
 * the same transaction, and is told whether that transaction committed.
 *
 * <p>Thread-safe: meant for one writer (the south side) and one reader (the uplink). One
 * connection, used under one lock; every operation is a short statement or transaction. One
 * process at a time: the file {@code <outbox>.lock} is held while the outbox is open.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** What a stored row costs beyond its body, in the byte bound (rowid, columns, page share). */
    public static final int ROW_OVERHEAD_BYTES = 40;
    /** Kind of a row of readings in {@link CompactRecords} form. */
    static final String KIND_READINGS = "R";
    /** Kind of a row of events in {@link CompactRecords} form. */
    static final String KIND_EVENTS = "E";
    /** Drop reason: the outbox held {@code maxRecords}. */
    public static final String DROP_MAX_RECORDS = "outbox_max_records";
    /** Drop reason: the outbox held {@code maxBytes}. */
    public static final String DROP_MAX_BYTES = "outbox_max_bytes";
    private static final long PRUNE_EVERY_MILLIS = 10_000;
    private static final String TRIM_MAX_ROWS = "_max_rows";
    private static final String TRIM_MAX_BYTES = "_max_bytes";
    /**
     * What a device dead letter counts for in {@code maxDeadLetterBytes}: its columns' bytes
     * (octet_length reads them from the row header, not the content) and the row overhead.
     */
    private static final String DEAD_LETTER_BYTES = "(octet_length(payload) + octet_length(topic) + octet_length(reason)"
            + " + COALESCE(octet_length(content_type), 0) + " + ROW_OVERHEAD_BYTES + ")";
    private static final String REFUSED_BATCH_BYTES = "(octet_length(records) + octet_length(batch_id)"
            + " + octet_length(topic) + octet_length(reason) + " + ROW_OVERHEAD_BYTES + ")";
    /**
     * Digests kept for the redelivery check, at most: a broker redelivers only what it had sent
     * and not yet seen acknowledged, i.e. its in-flight window (Mosquitto: 20 by default), and a
     * CoAP device retransmits only its last message.
     */
    static final int RECENT_FRAMES = 10_000;

    private final Path path;
    private final OutboxLimits limits;
    private final Connection db;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final DiskSpace disk;
    private final long pageSize;
    private final RecordJson json = new RecordJson();
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether commits wait for the disk (PRAGMA synchronous=FULL), as all do but a removal's; guarded by the lock. */
    private boolean synchronousFull = true;
    private final Condition changed = lock.newCondition();
    private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> trims = new ConcurrentHashMap<>();
    /** Trims of the transaction under way, counted in {@link #trims} once it commits. */
    private final Map<String, Long> pendingTrims = new java.util.HashMap<>();
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 10_000);
    private long size;
    private long bytes;
    /** Appends that carried records a judge added (alarms), under the lock: {@link #urgentAppends()}. */
    private long urgentAppends;
    private long readingCount;
    private long readingBytes;
    private long lastPrune;
    /** {row id, digests in it} of the rows of {@code recent_digests}, oldest first. */
    private final java.util.ArrayDeque<long[]> digestRows = new java.util.ArrayDeque<>();
    private long digestsInRows;
    private final Map<ByteBuffer, Long> recentFrames = new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Long> eldest) {
            return size() > RECENT_FRAMES;
        }
    };
    /** Appends waiting for room (tests wait for one to be waiting instead of sleeping). */
    private int waitingAppends;
    private volatile boolean diskFull;
    private volatile String diskFullReason;
    private boolean closed;

    private Outbox(Path path, OutboxLimits limits, Connection db, FileChannel lockChannel, FileLock fileLock)
            throws SQLException {
        this.path = path;
        this.limits = limits;
        this.db = db;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.disk = new DiskSpace(path, limits.minFreeBytes(), limits.reserveBytes());
        try (Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
                rs.next();
                this.pageSize = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT kind IN ('" + KIND_READINGS + "', '" + RecordJson.READING + "'),"
                    + " COALESCE(SUM(records), 0), COUNT(*), COALESCE(SUM(length(body)), 0) FROM records GROUP BY 1")) {
                while (rs.next()) {
                    account(rs.getBoolean(1), rs.getLong(2), rs.getLong(4) + rs.getLong(3) * ROW_OVERHEAD_BYTES, +1);
                }
            }
        }
        loadRecentFrames();
        disk.ensureReserve();
    }

    /** Opens (or creates) the outbox file with the default limits but these two. */
    public static Outbox open(Path path, long maxRecords, int maxDeadLetters) {
        return open(path, OutboxLimits.of(maxRecords, maxDeadLetters));
    }

    /**
     * Opens (or creates) the outbox file.
     *
     * @throws OutboxException when the file cannot be opened, is not an outbox, or another process has it open
     */
    public static Outbox open(Path path, OutboxLimits limits) {
        Connection db = null;
        FileChannel lockChannel = null;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock;
            try {
                fileLock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                fileLock = null;
            }
            if (fileLock == null) {
                throw new OutboxException("outbox " + path + " is in use by a running gateway (" + lockFile
                        + " is locked); stop the gateway first", null);
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + path);
            createSchema(db);
            return new Outbox(path, limits, db, lockChannel, fileLock);
        } catch (SQLException e) {
            closeQuietly(db);
            closeQuietly(lockChannel);
            throw new OutboxException("cannot open outbox " + path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            // e.g. AccessDeniedException: /var/lib/smartschool
            throw new OutboxException("cannot open outbox " + path + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(db);
            closeQuietly(lockChannel);
            throw e;
        }
    }

    static void createSchema(Connection db) throws SQLException {
        try (Statement st = db.createStatement()) {
            // WAL: the uplink reads while the south side appends, and a commit is one append to
            // the log. synchronous=FULL: every commit is fsync'ed to the WAL before append()
            // returns, so a record acknowledged to a device survives a power cut (an SD-card Pi
            // on a school's mains). WAL with NORMAL would be consistent but could lose the last
            // commits on power loss, i.e. readings the devices were told were safe.
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA busy_timeout=5000");
            // the WAL is cut back to this after a checkpoint, so it does not keep the space of a burst
            st.execute("PRAGMA journal_size_limit=1048576");
            // AUTOINCREMENT: a seq is never reused, even after the outbox was emptied, so a batch
            // id ({gateway}-{first}-{last}) never names two different batches
            // a row holds the readings (kind R) or the events (kind E) of one device frame, in the
            // compact form of CompactRecords, and their number; rows of files written before that
            // hold one record each as JSON text (kind 'reading' or 'event') and are still read
            st.execute("CREATE TABLE IF NOT EXISTS records ("
                    + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " kind TEXT NOT NULL,"
                    + " body TEXT NOT NULL,"
                    + " appended_at INTEGER NOT NULL,"
                    + " records INTEGER NOT NULL DEFAULT 1)");
            addRecordsColumn(st);
            // device frames that could not be routed or decoded, as they arrived
            st.execute("CREATE TABLE IF NOT EXISTS device_dead_letters ("
                    + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " topic TEXT NOT NULL,"
                    + " content_type TEXT,"
                    + " payload BLOB NOT NULL,"
                    + " received_at INTEGER NOT NULL,"
                    + " reason TEXT NOT NULL,"
                    + " at INTEGER NOT NULL)");
            // batches the hub refused, with their records: a table of its own, bounded on its own
            st.execute("CREATE TABLE IF NOT EXISTS refused_batches ("
                    + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " batch_id TEXT NOT NULL,"
                    + " topic TEXT NOT NULL,"
                    + " reason TEXT NOT NULL,"
                    + " at INTEGER NOT NULL,"
                    + " records TEXT NOT NULL)");
            // digests of the frames recorded last (redelivery check): one row per transaction, the
            // 16-byte digests of its frames end to end, so a burst adds one row per commit; looked
            // up in memory
            st.execute("CREATE TABLE IF NOT EXISTS recent_digests ("
                    + " id INTEGER PRIMARY KEY,"
                    + " recorded_at INTEGER NOT NULL,"
                    + " digests BLOB NOT NULL)");
            // the state of the school's rules (rule engine tracks, open detector alarms), by key,
            // written in the transaction of the records that changed it: see Judge
            st.execute("CREATE TABLE IF NOT EXISTS rule_state ("
                    + " key TEXT PRIMARY KEY,"
                    + " value BLOB NOT NULL) WITHOUT ROWID");
            migrateSharedDeadLetters(st);
            seedSequence(st);
        }
    }

    /** Files written before compact rows have no {@code records} column: each of their rows is one record. */
    private static void addRecordsColumn(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pragma_table_info('records') WHERE name = 'records'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                st.execute("ALTER TABLE records ADD COLUMN records INTEGER NOT NULL DEFAULT 1");
            }
        }
    }

    /**
     * Files written before the split kept refused batches and device garbage in one table
     * {@code dead_letters}: batches (uplink topics, JSON lines) go to {@code refused_batches}, the
     * rest to {@code device_dead_letters}, in one transaction.
     */
    private static void migrateSharedDeadLetters(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'dead_letters'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return;
            }
        }
        String isBatch = "(topic LIKE 'ss/v1/%/batch' OR topic = 'outbox')";
        st.execute("BEGIN IMMEDIATE");
        try {
            st.executeUpdate("INSERT INTO refused_batches(batch_id, topic, reason, at, records)"
                    + " SELECT '', topic, reason, at, CAST(payload AS TEXT) FROM dead_letters WHERE " + isBatch + " ORDER BY id");
            st.executeUpdate("INSERT INTO device_dead_letters(topic, content_type, payload, received_at, reason, at)"
                    + " SELECT topic, NULL, payload, at, reason, at FROM dead_letters WHERE NOT " + isBatch + " ORDER BY id");
            st.execute("DROP TABLE dead_letters");
            st.execute("COMMIT");
        } catch (SQLException e) {
            st.execute("ROLLBACK");
            throw e;
        }
    }

    /**
     * A new outbox starts its sequence at the current epoch milliseconds, not at 1: should the file
     * be lost and recreated, its batch ids still differ from those the hub has already recorded
     * (the hub treats a known batch id as a replay). A school gateway appends far fewer than 1000
     * records per second on average, so a recreated outbox starts above the old one.
     */
    private static void seedSequence(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'records'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                st.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('records', " + System.currentTimeMillis() + ")");
            }
        }
    }

    // ---- appending ----------------------------------------------------------------------------

    /**
     * Appends records in one transaction and returns once it is committed (durable). When they do
     * not fit, drops the oldest routine readings to make room (the overflow policy); when even that
     * cannot make room, waits until the uplink has made it (or the outbox is empty, for an append
     * larger than the whole outbox).
     *
     * @throws InterruptedException when the caller is interrupted while waiting for room; nothing was appended
     * @throws OutboxClosedException when the outbox is closed; nothing was appended
     * @throws DiskFullException when the disk is below its free-space watermark; nothing was appended
     * @throws OutboxException when SQLite fails; nothing was appended
     */
    public void append(List<Reading> readings, List<DeviceEvent> events) throws InterruptedException {
        appendFrames(List.of(IntakeFrame.of(readings, events)), true);
    }

    /**
     * Appends records in one transaction, like {@link #append}, but without waiting: for a device
     * that is told to come back later (CoAP 5.03) instead of being kept waiting.
     *
     * @return true when the records are committed; false when there is no room and nothing was appended
     * @throws OutboxClosedException when the outbox is closed; nothing was appended
     * @throws DiskFullException when the disk is below its free-space watermark; nothing was appended
     * @throws OutboxException when SQLite fails; nothing was appended
     */
    public boolean tryAppend(List<Reading> readings, List<DeviceEvent> events) {
        try {
            return appendFrames(List.of(IntakeFrame.of(readings, events)), false) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Appends the records of many device frames in one transaction (group commit), skipping frames
     * recognised as redeliveries and applying the overflow policy. Each frame's readings go in a
     * row of their own and its events in another ({@link CompactRecords}; a frame of more than
     * {@link CompactRecords#MAX_RECORDS_PER_ROW} readings or events takes several rows).
     *
     * @param wait whether to wait for room when even dropping readings cannot make it
     * @return what was done; null when {@code wait} is false and there was no room (nothing appended)
     * @throws InterruptedException when interrupted while waiting for room; nothing was appended
     * @throws DiskFullException when the disk is below its free-space watermark; nothing was appended
     */
    public AppendResult appendFrames(List<IntakeFrame> frames, boolean wait) throws InterruptedException {
        return appendFrames(frames, wait, null);
    }

    /**
     * Judges records as they enter the outbox (the school's rules): called under the outbox's lock,
     * after redeliveries are left out and room is found, so records are judged exactly in the order
     * they are stored and what the judgement adds is stored in the same transaction.
     */
    @FunctionalInterface
    public interface Judge {
        /**
         * @param frames the frames about to be appended, in order (empty for a judgement of the clock)
         * @return what to append instead, and state to keep; never null
         */
        Verdict judge(List<IntakeFrame> frames);
    }

    /** What a {@link Judge} made of an append. */
    public interface Verdict {
        /** The frames to append, in order: the judged frames themselves (the same instances) with frames the judge adds. */
        List<IntakeFrame> frames();

        /** Rows of {@code rule_state} to write in the same transaction: key -> value, a null value deletes the row. */
        Map<String, byte[]> state();

        /** Told once, under the outbox's lock: whether the append committed (else nothing of it was stored). */
        void settled(boolean committed);
    }

    /** The {@code rule_state} rows, for a {@link Judge} to start from after a restart. */
    public Map<String, byte[]> ruleState() {
        lock.lock();
        try {
            requireOpen();
            Map<String, byte[]> rows = new java.util.HashMap<>();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT key, value FROM rule_state")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getBytes(2));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("reading the rule state", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #appendFrames(List, boolean)}, with the frames judged by {@code judge} (null for
     * none) under the outbox's lock: what it adds (alarm events, right after the frame that caused
     * them) and the state it keeps go in the same transaction, or nothing does.
     */
    public AppendResult appendFrames(List<IntakeFrame> frames, boolean wait, Judge judge) throws InterruptedException {
        // encode outside the lock: the uplink need not wait for it
        List<OutboxRow> rows = new ArrayList<>();
        List<List<OutboxRow>> rowsByFrame = new ArrayList<>(frames.size());
        for (IntakeFrame frame : frames) {
            List<OutboxRow> own = OutboxRow.of(frame.readings(), frame.events());
            rowsByFrame.add(own);
            rows.addAll(own);
        }
        boolean anyDigest = frames.stream().anyMatch(f -> f.digest() != null);
        if (rows.isEmpty() && !anyDigest && judge == null) {
            return new AppendResult(0, 0, 0, null);
        }
        lock.lockInterruptibly();
        Verdict verdict = null;
        boolean settled = false;
        try {
            requireOpen();
            List<IntakeFrame> kept = frames;
            List<OutboxRow> keptRows = rows;
            int redeliveries = 0;
            if (frames.stream().anyMatch(f -> f.digest() != null && f.mayBeRedelivery())) {
                kept = new ArrayList<>(frames.size());
                keptRows = new ArrayList<>(rows.size());
                for (int i = 0; i < frames.size(); i++) {
                    IntakeFrame frame = frames.get(i);
                    if (frame.digest() != null && frame.mayBeRedelivery() && knownDigest(frame.digest())) {
                        redeliveries++;
                        continue;
                    }
                    kept.add(frame);
                    keptRows.addAll(rowsByFrame.get(i));
                }
            }
            if (keptRows.isEmpty() && kept.stream().noneMatch(f -> f.digest() != null) && judge == null) {
                return new AppendResult(0, redeliveries, 0, null);
            }
            List<OutboxRow> deviceRows = keptRows;
            Room room = room(keptRows);
            while (true) {
                while (room == null) {
                    if (!wait) {
                        return null;
                    }
                    waitForRoom();
                    room = room(keptRows);
                }
                if (judge == null) {
                    break;
                }
                // judged only now, under the lock and with room found: nothing can come between the
                // judgement and the append, so the rules see records in the order the outbox keeps them
                verdict = judge.judge(kept);
                keptRows = rowsOf(verdict.frames(), frames, rowsByFrame);
                room = room(keptRows);
                if (room != null) {
                    break;
                }
                verdict.settled(false); // what the judge added does not fit: judged again once there is room
                verdict = null;
                if (!wait) {
                    return null;
                }
                waitForRoom();
                keptRows = deviceRows;
                room = room(keptRows);
            }
            Map<String, byte[]> state = verdict == null ? Map.of() : verdict.state();
            if (keptRows.isEmpty() && state.isEmpty() && kept.stream().noneMatch(f -> f.digest() != null)) {
                settled = true; // a judgement that changed nothing (the clock found no silence)
                return new AppendResult(0, redeliveries, 0, null);
            }
            List<OutboxRow> inserting = room.toInsert();
            long count = OutboxRow.records(inserting);
            long newBytes = OutboxRow.bytes(inserting);
            long stateBytes = 0;
            for (Map.Entry<String, byte[]> e : state.entrySet()) {
                stateBytes += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length);
            }
            checkDisk(newBytes + stateBytes);
            long now = System.currentTimeMillis();
            List<IntakeFrame> toRemember = kept.stream().filter(f -> f.digest() != null).toList();
            Room chosen = room;
            long[] dropped = new long[2];
            long[] digestRow = new long[1];
            inTransaction(() -> {
                if (chosen.dropRecords() > 0 || chosen.dropBytes() > 0) {
                    long[] freed = dropOldestReadings(chosen.dropRecords(), chosen.dropBytes());
                    dropped[0] = freed[0];
                    dropped[1] = freed[1];
                }
                insertRows(inserting, now);
                writeRuleState(state);
                if (!toRemember.isEmpty()) {
                    byte[] digests = new byte[toRemember.size() * FrameDigest.LENGTH];
                    for (int i = 0; i < toRemember.size(); i++) {
                        System.arraycopy(toRemember.get(i).digest(), 0, digests, i * FrameDigest.LENGTH, FrameDigest.LENGTH);
                    }
                    try (PreparedStatement ps = db.prepareStatement(
                            "INSERT INTO recent_digests(recorded_at, digests) VALUES (?, ?)")) {
                        ps.setLong(1, now); // the window runs from when the frames were recorded
                        ps.setBytes(2, digests);
                        ps.executeUpdate();
                    }
                    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
                        rs.next();
                        digestRow[0] = rs.getLong(1);
                    }
                }
                if (now - lastPrune > PRUNE_EVERY_MILLIS) {
                    try (PreparedStatement ps = db.prepareStatement(
                            "DELETE FROM recent_digests WHERE id < ? OR recorded_at < ?")) {
                        ps.setLong(1, oldestDigestRowToKeep());
                        ps.setLong(2, now - limits.redeliveryWindowMillis());
                        ps.executeUpdate();
                    }
                }
            }, "append", true);
            if (now - lastPrune > PRUNE_EVERY_MILLIS) {
                lastPrune = now;
            }
            if (!toRemember.isEmpty()) {
                digestRows.addLast(new long[] {digestRow[0], toRemember.size()});
                digestsInRows += toRemember.size();
            }
            toRemember.forEach(f -> recentFrames.put(ByteBuffer.wrap(f.digest()), now));
            if (dropped[0] > 0) {
                account(true, dropped[0], dropped[1], -1);
            }
            long droppedTotal = dropped[0] + chosen.skippedNewReadings();
            if (droppedTotal > 0) {
                drops.computeIfAbsent(chosen.reason(), r -> new LongAdder()).add(droppedTotal);
                rateLimited.warn("dropped", "[outbox: {}] full ({}): {} oldest routine readings dropped to make room",
                        path, chosen.reason(), droppedTotal);
            }
            for (OutboxRow row : inserting) {
                account(row.isReading(), row.records(), row.bytes(), +1);
            }
            if (verdict != null && verdict.frames().size() > kept.size()) {
                urgentAppends++; // the judge added alarms: the uplink sends them without waiting for a batch to fill
            }
            changed.signalAll();
            settled = true;
            return new AppendResult((int) count, redeliveries, droppedTotal, droppedTotal > 0 ? chosen.reason() : null);
        } finally {
            try {
                if (verdict != null) {
                    verdict.settled(settled);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void waitForRoom() throws InterruptedException {
        waitingAppends++;
        try {
            changed.await();
        } finally {
            waitingAppends--;
        }
        requireOpen();
    }

    /** The rows of a judge's frames: those of the judged frames as encoded already, the added ones encoded now. */
    private static List<OutboxRow> rowsOf(List<IntakeFrame> judged, List<IntakeFrame> frames,
                                          List<List<OutboxRow>> rowsByFrame) {
        Map<IntakeFrame, List<OutboxRow>> encoded = new java.util.IdentityHashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            encoded.put(frames.get(i), rowsByFrame.get(i));
        }
        List<OutboxRow> rows = new ArrayList<>();
        for (IntakeFrame frame : judged) {
            List<OutboxRow> own = encoded.get(frame);
            rows.addAll(own != null ? own : OutboxRow.of(frame.readings(), frame.events()));
        }
        return rows;
    }

    /** Upserts and deletes rows of {@code rule_state}, in the caller's transaction. */
    private void writeRuleState(Map<String, byte[]> state) throws SQLException {
        if (state.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = db.prepareStatement("INSERT OR REPLACE INTO rule_state(key, value) VALUES (?, ?)");
             PreparedStatement delete = db.prepareStatement("DELETE FROM rule_state WHERE key = ?")) {
            boolean upserts = false;
            boolean deletes = false;
            for (Map.Entry<String, byte[]> e : state.entrySet()) {
                if (e.getValue() == null) {
                    delete.setString(1, e.getKey());
                    delete.addBatch();
                    deletes = true;
                } else {
                    upsert.setString(1, e.getKey());
                    upsert.setBytes(2, e.getValue());
                    upsert.addBatch();
                    upserts = true;
                }
            }
            if (upserts) {
                upsert.executeBatch();
            }
            if (deletes) {
                delete.executeBatch();
            }
        }
    }

    /** Appends rows that the caller has made room for, in the caller's transaction. */
    private void insertRows(List<OutboxRow> rows, long now) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO records(kind, body, appended_at, records) VALUES (?, ?, ?, ?)")) {
            for (OutboxRow row : rows) {
                ps.setString(1, row.kind());
                ps.setBytes(2, row.body());
                ps.setLong(3, now);
                ps.setInt(4, row.records());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * How to make room for an append: how many records and bytes of waiting readings to drop, the
     * rows to insert (the oldest new readings left out when the waiting ones are not enough), and
     * how many new readings were left out.
     */
    private record Room(long dropRecords, long dropBytes, List<OutboxRow> toInsert, long skippedNewReadings, String reason) {
    }

    /** What to drop so the append fits; null when only events could make room (they never go). */
    private Room room(List<OutboxRow> rows) {
        long count = OutboxRow.records(rows);
        long newBytes = OutboxRow.bytes(rows);
        long overRecords = size + count - limits.maxRecords();
        long overBytes = bytes + newBytes - limits.maxBytes();
        if (overRecords <= 0 && overBytes <= 0) {
            return new Room(0, 0, rows, 0, null);
        }
        String reason = overRecords > 0 ? DROP_MAX_RECORDS : DROP_MAX_BYTES;
        overRecords = Math.max(0, overRecords);
        overBytes = Math.max(0, overBytes);
        if (readingCount >= overRecords && readingBytes >= overBytes) {
            return new Room(overRecords, overBytes, rows, 0, reason);
        }
        long newReadings = rows.stream().filter(OutboxRow::isReading).mapToLong(OutboxRow::records).sum();
        long newReadingBytes = rows.stream().filter(OutboxRow::isReading).mapToLong(OutboxRow::bytes).sum();
        if (readingCount + newReadings < overRecords || readingBytes + newReadingBytes < overBytes) {
            // an append of events larger than the whole outbox goes in when it is empty, or never would
            return size == 0 ? new Room(0, 0, rows, 0, null) : null;
        }
        // the oldest new readings go too when the waiting ones are not enough (a burst larger than the outbox)
        long needRecords = overRecords - readingCount;
        long needBytes = overBytes - readingBytes;
        long skipped = 0;
        long skippedBytes = 0;
        List<OutboxRow> toInsert = new ArrayList<>(rows.size());
        for (OutboxRow row : rows) {
            if (!row.isReading() || (skipped >= needRecords && skippedBytes >= needBytes)) {
                toInsert.add(row);
                continue;
            }
            OutboxRow trimmed = null;
            for (int k = (int) Math.max(1, Math.min(needRecords - skipped, row.records())); k < row.records(); k++) {
                OutboxRow candidate = row.withoutOldest(k);
                if (skipped + k >= needRecords && skippedBytes + row.bytes() - candidate.bytes() >= needBytes) {
                    trimmed = candidate;
                    break;
                }
            }
            if (trimmed == null) {
                skipped += row.records();
                skippedBytes += row.bytes();
            } else {
                skipped += row.records() - trimmed.records();
                skippedBytes += row.bytes() - trimmed.bytes();
                toInsert.add(trimmed);
            }
        }
        if (skipped >= count) {
            // it would go only by dropping itself: refuse it instead, the device or broker keeps it
            return size == 0 ? new Room(0, 0, rows, 0, null) : null;
        }
        return new Room(readingCount, readingBytes, toInsert, skipped, reason);
    }

    /**
     * Deletes the oldest readings until at least this many records and bytes are freed; returns
     * {records, bytes as counted in the byte bound}. Whole rows go while they are not more than
     * needed; of the row where enough is reached only its oldest readings go (the row is written
     * again, under the same seq, with the rest), so a bound drops what it must and not a frame more.
     */
    private long[] dropOldestReadings(long records, long minBytes) throws SQLException {
        long count = 0;
        long freed = 0;
        long lastWholeSeq = -1;
        long boundarySeq = -1;
        byte[] boundaryBody = null;
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT seq, kind, records, length(body) FROM records WHERE kind IN (?, ?) ORDER BY seq")) {
            ps.setString(1, KIND_READINGS);
            ps.setString(2, RecordJson.READING);
            try (ResultSet rs = ps.executeQuery()) {
                while ((count < records || freed < minBytes) && rs.next()) {
                    long seq = rs.getLong(1);
                    int rowRecords = rs.getInt(3);
                    long rowBytes = rs.getLong(4) + ROW_OVERHEAD_BYTES;
                    boolean moreThanNeeded = count + rowRecords > records && freed + rowBytes > minBytes;
                    if (moreThanNeeded && rowRecords > 1 && KIND_READINGS.equals(rs.getString(2))) {
                        boundarySeq = seq;
                        break;
                    }
                    lastWholeSeq = seq;
                    count += rowRecords;
                    freed += rowBytes;
                }
            }
        }
        if (lastWholeSeq >= 0) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM records WHERE kind IN (?, ?) AND seq <= ?")) {
                ps.setString(1, KIND_READINGS);
                ps.setString(2, RecordJson.READING);
                ps.setLong(3, lastWholeSeq);
                ps.executeUpdate();
            }
        }
        if (boundarySeq >= 0) {
            try (PreparedStatement ps = db.prepareStatement("SELECT body FROM records WHERE seq = ?")) {
                ps.setLong(1, boundarySeq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boundaryBody = rs.getBytes(1);
                }
            }
            OutboxRow row;
            try {
                row = OutboxRow.readings(CompactRecords.decodeReadings(boundaryBody));
            } catch (IllegalArgumentException e) {
                row = null; // unreadable: it goes whole (peek would have moved it aside)
            }
            OutboxRow trimmed = null;
            if (row != null) {
                for (int k = (int) Math.max(1, records - count); k < row.records(); k++) {
                    OutboxRow candidate = row.withoutOldest(k);
                    if (count + k >= records && freed + boundaryBody.length - candidate.body().length >= minBytes) {
                        trimmed = candidate;
                        break;
                    }
                }
            }
            if (trimmed != null) {
                try (PreparedStatement ps = db.prepareStatement("UPDATE records SET body = ?, records = ? WHERE seq = ?")) {
                    ps.setBytes(1, trimmed.body());
                    ps.setInt(2, trimmed.records());
                    ps.setLong(3, boundarySeq);
                    ps.executeUpdate();
                }
                count += row.records() - trimmed.records();
                freed += boundaryBody.length - trimmed.body().length;
            } else {
                try (PreparedStatement ps = db.prepareStatement(
                        "SELECT records, length(body) FROM records WHERE seq = ?")) {
                    ps.setLong(1, boundarySeq);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        count += rs.getInt(1);
                        freed += rs.getLong(2) + ROW_OVERHEAD_BYTES;
                    }
                }
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM records WHERE seq = ?")) {
                    ps.setLong(1, boundarySeq);
                    ps.executeUpdate();
                }
            }
        }
        return new long[] {count, freed}; // the caller accounts for them after the commit
    }
    private boolean knownDigest(byte[] digest) {
        Long recordedAt = recentFrames.get(ByteBuffer.wrap(digest));
        // exclusive: a window of 0 ms takes nothing for a redelivery, even within the same millisecond
        return recordedAt != null && recordedAt > System.currentTimeMillis() - limits.redeliveryWindowMillis();
    }

    private void loadRecentFrames() throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT id, recorded_at, digests FROM recent_digests"
                + " WHERE recorded_at >= ? ORDER BY id")) {
            ps.setLong(1, System.currentTimeMillis() - limits.redeliveryWindowMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] digests = rs.getBytes(3);
                    int count = digests.length / FrameDigest.LENGTH;
                    for (int i = 0; i < count; i++) {
                        recentFrames.put(ByteBuffer.wrap(java.util.Arrays.copyOfRange(digests,
                                i * FrameDigest.LENGTH, (i + 1) * FrameDigest.LENGTH)), rs.getLong(2));
                    }
                    digestRows.addLast(new long[] {rs.getLong(1), count});
                    digestsInRows += count;
                }
            }
        }
    }

    /** The id of the oldest digest row still needed to keep the last {@link #RECENT_FRAMES} digests. */
    private long oldestDigestRowToKeep() {
        while (digestRows.size() > 1 && digestsInRows - digestRows.peekFirst()[1] >= RECENT_FRAMES) {
            digestsInRows -= digestRows.removeFirst()[1];
        }
        return digestRows.isEmpty() ? 0 : digestRows.peekFirst()[0];
    }

    /**
     * Refuses the append when the file system is below its watermark. Free pages inside the file
     * count as free: the outbox reuses them, and deleting what the hub acknowledged frees pages in
     * the file, not on the disk.
     */
    private void checkDisk(long newBytes) {
        long usable = disk.usable();
        if (usable < 0) {
            return; // cannot tell: let SQLite say
        }
        long free = usable + freePagesInFile();
        if (free - newBytes < limits.minFreeBytes() && checkpoint()) {
            // the WAL keeps the space of every commit until a checkpoint: give it back first
            usable = disk.usable();
            free = usable + freePagesInFile();
        }
        if (free - newBytes < limits.minFreeBytes()) {
            markDiskFull("disk full: " + free + " bytes free for outbox " + path + " (file system of "
                    + disk.directory() + "), below outbox.minFreeBytes " + limits.minFreeBytes()
                    + "; device messages are not taken until space returns");
            throw new DiskFullException(diskFullReason, null);
        }
        if (diskFull) {
            diskFull = false;
            diskFullReason = null;
            LOG.info("[outbox: {}] disk space is back: taking device messages again", path);
        }
        disk.ensureReserve();
    }

    /**
     * Copies the WAL into the file and cuts it to nothing, giving its space back to the file
     * system. Worth it only when space is short: SQLite checkpoints by itself every 1000 pages.
     *
     * @return true when the checkpoint ran through
     */
    private boolean checkpoint() {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return rs.next() && rs.getInt(1) == 0;
        } catch (SQLException e) {
            LOG.debug("[outbox: {}] checkpoint: {}", path, e.getMessage());
            return false;
        }
    }

    private long freePagesInFile() {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA freelist_count")) {
            rs.next();
            return rs.getLong(1) * pageSize;
        } catch (SQLException e) {
            return 0;
        }
    }

    private void markDiskFull(String reason) {
        if (!diskFull) {
            LOG.error("[outbox: {}] {}", path, reason);
        }
        diskFull = true;
        diskFullReason = reason;
    }

    /** Whether appends are refused for want of disk space (until an append finds room again). */
    public boolean diskFull() {
        return diskFull;
    }

    /** Why the disk counts as full, or null. */
    public String diskFullReason() {
        return diskFullReason;
    }

    /** Records dropped by the overflow policy, by reason ({@link #DROP_MAX_RECORDS}, {@link #DROP_MAX_BYTES}). */
    public Map<String, Long> drops() {
        Map<String, Long> out = new java.util.TreeMap<>();
        drops.forEach((reason, count) -> out.put(reason, count.sum()));
        return out;
    }

    // ---- reading and removing -----------------------------------------------------------------

    /**
     * The oldest records, whole rows (a row holds the readings or the events of one device frame),
     * without removing them: as many rows as fit in {@code max} records, and always at least one
     * row, even one of more than {@code max} records. A row that can no longer be read (written by
     * another version, damaged) is moved to the refused batches, so it cannot block the outbox for ever.
     */
    public OutboxBatch peek(int max) {
        return peekAfter(Long.MIN_VALUE, max);
    }

    /**
     * The oldest rows after {@code afterSeq}, as {@link #peek}: the uplink's window peeks past the
     * batches it already has in flight.
     */
    public OutboxBatch peekAfter(long afterSeq, int max) {
        lock.lock();
        try {
            requireOpen();
            List<Reading> readings = new ArrayList<>();
            List<DeviceEvent> events = new ArrayList<>();
            List<Long> unreadableSeqs = new ArrayList<>();
            StringBuilder unreadable = new StringBuilder();
            String firstProblem = null;
            long first = -1;
            long last = -1;
            int taken = 0;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT seq, kind, records, body FROM records WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, afterSeq);
                ps.setInt(2, Math.max(1, max));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        String kind = rs.getString(2);
                        int records = rs.getInt(3);
                        StoredRow row = StoredRow.read(kind, records, rs);
                        List<?> decoded;
                        try {
                            decoded = row.decode(json);
                        } catch (JsonProcessingException | IllegalArgumentException e) {
                            unreadable.append(row.unreadableLine()).append('\n');
                            firstProblem = firstProblem != null ? firstProblem
                                    : "outbox row " + seq + " is not a readable " + kindName(kind) + " row: " + e.getMessage();
                            unreadableSeqs.add(seq);
                            continue;
                        }
                        if (taken > 0 && taken + decoded.size() > max) {
                            break;
                        }
                        for (Object record : decoded) {
                            if (record instanceof Reading r) {
                                readings.add(r);
                            } else {
                                events.add((DeviceEvent) record);
                            }
                        }
                        taken += decoded.size();
                        first = first < 0 ? seq : first;
                        last = seq;
                    }
                }
            } catch (SQLException e) {
                throw failure("read", e);
            }
            if (!unreadableSeqs.isEmpty()) {
                LOG.error("[outbox: {}] {} unreadable rows moved to the refused batches", path, unreadableSeqs.size());
                String reason = unreadableSeqs.size() + " unreadable outbox rows; first: " + firstProblem;
                List<long[]> removed = new ArrayList<>();
                inTransaction(() -> {
                    removed.clear();
                    insertRefusedBatch("", "outbox", reason, unreadable.toString());
                    try (PreparedStatement sum = db.prepareStatement(
                            "SELECT kind IN ('" + KIND_READINGS + "', '" + RecordJson.READING + "'), records, length(body)"
                                    + " FROM records WHERE seq = ?");
                         PreparedStatement del = db.prepareStatement("DELETE FROM records WHERE seq = ?")) {
                        for (long seq : unreadableSeqs) {
                            sum.setLong(1, seq);
                            try (ResultSet rs = sum.executeQuery()) {
                                while (rs.next()) {
                                    removed.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3) + ROW_OVERHEAD_BYTES});
                                }
                            }
                            del.setLong(1, seq);
                            del.executeUpdate();
                        }
                    }
                }, "move unreadable records", false);
                removed.forEach(r -> account(r[0] == 1, r[1], r[2], -1));
                changed.signalAll();
            }
            return new OutboxBatch(first, last, readings, events);
        } finally {
            lock.unlock();
        }
    }

    private static String kindName(String kind) {
        return switch (kind) {
            case KIND_READINGS, RecordJson.READING -> "reading";
            case KIND_EVENTS, RecordJson.EVENT -> "event";
            default -> "'" + kind + "'";
        };
    }

    /** Removes every record up to and including {@code upToSeq}: the hub has them. */
    public void remove(long upToSeq) {
        remove(Long.MIN_VALUE, upToSeq);
    }

    /**
     * Removes the records from {@code fromSeq} to {@code toSeq}, both included: the hub has that
     * batch (with a window, a later batch can be acknowledged before an earlier one).
     */
    public void remove(long fromSeq, long toSeq) {
        lock.lock();
        try {
            requireOpen();
            removeRange(fromSeq, toSeq, null);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves every record up to and including {@code upToSeq} to one refused batch (their JSON, one
     * record per line), in one transaction: the hub refused them and resending cannot help.
     */
    public void moveToRefusedBatches(long upToSeq, String batchId, String topic, String reason) {
        moveToRefusedBatches(Long.MIN_VALUE, upToSeq, batchId, topic, reason);
    }

    /** Moves the records from {@code fromSeq} to {@code toSeq}, both included, to one refused batch. */
    public void moveToRefusedBatches(long fromSeq, long toSeq, String batchId, String topic, String reason) {
        lock.lock();
        try {
            requireOpen();
            removeRange(fromSeq, toSeq, new String[] {batchId, topic, reason});
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Deletes a range of records, optionally keeping them as a refused batch; a full disk gives up the reserve. */
    private void removeRange(long fromSeq, long toSeq, String[] refused) {
        for (int attempt = 1; ; attempt++) {
            List<long[]> counts = new ArrayList<>();
            try {
                inTransaction(() -> {
                    counts.clear();
                    if (refused != null) {
                        // a refused batch stays readable JSON lines, whatever form the rows had
                        StringBuilder lines = new StringBuilder();
                        try (PreparedStatement ps = db.prepareStatement(
                                "SELECT kind, records, body FROM records WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
                            ps.setLong(1, fromSeq);
                            ps.setLong(2, toSeq);
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    StoredRow.read(rs.getString(1), rs.getInt(2), rs).appendLines(json, lines);
                                }
                            }
                        }
                        insertRefusedBatch(refused[0], refused[1], refused[2], lines.toString());
                    }
                    try (PreparedStatement ps = db.prepareStatement(
                            "SELECT kind IN ('" + KIND_READINGS + "', '" + RecordJson.READING + "'), COALESCE(SUM(records), 0),"
                                    + " COUNT(*), COALESCE(SUM(length(body)), 0) FROM records WHERE seq BETWEEN ? AND ? GROUP BY 1")) {
                        ps.setLong(1, fromSeq);
                        ps.setLong(2, toSeq);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                counts.add(new long[] {rs.getLong(1), rs.getLong(2),
                                        rs.getLong(4) + rs.getLong(3) * ROW_OVERHEAD_BYTES});
                            }
                        }
                    }
                    try (PreparedStatement ps = db.prepareStatement("DELETE FROM records WHERE seq BETWEEN ? AND ?")) {
                        ps.setLong(1, fromSeq);
                        ps.setLong(2, toSeq);
                        ps.executeUpdate();
                    }
                    // a removal the disk has not taken yet is only a resend after a power cut: it does not wait
                    // for the fsync, which the south side's next append (holding the same lock) would wait behind
                }, refused == null ? "remove" : "move to refused batches", false, refused != null);
            } catch (DiskFullException e) {
                if (attempt == 1 && disk.releaseReserve()) {
                    continue;
                }
                throw e;
            }
            counts.forEach(c -> account(c[0] == 1, c[1], c[2], -1));
            long usable = disk.usable();
            if (usable >= 0 && usable < limits.minFreeBytes()) {
                checkpoint(); // the deletes' WAL pages would otherwise hold the space they freed
            }
            return;
        }
    }

    /**
     * Counts records in or out of the bounds.
     *
     * @param rowBytes what they count for in the byte bound: stored bodies plus {@link #ROW_OVERHEAD_BYTES} a row
     */
    private void account(boolean readings, long records, long rowBytes, int sign) {
        size += sign * records;
        bytes += sign * rowBytes;
        if (readings) {
            readingCount += sign * records;
            readingBytes += sign * rowBytes;
        }
    }

    // ---- dead letters -------------------------------------------------------------------------

    /** Records device frames the gateway could not route or decode; the oldest beyond the bound are trimmed. */
    public void deadLetter(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            requireOpen();
            inTransaction(() -> {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO device_dead_letters"
                        + "(topic, content_type, payload, received_at, reason, at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (DeadLetter letter : letters) {
                        ps.setString(1, letter.topic());
                        ps.setString(2, letter.contentType());
                        ps.setBytes(3, letter.payload());
                        ps.setLong(4, letter.receivedAt());
                        ps.setString(5, letter.reason());
                        ps.setLong(6, letter.time());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                trim("device_dead_letters", DEAD_LETTER_BYTES, limits.maxDeadLetters());
            }, "dead-letter", false);
        } finally {
            lock.unlock();
        }
    }

    private void insertRefusedBatch(String batchId, String topic, String reason, String lines) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO refused_batches(batch_id, topic, reason, at, records) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, batchId);
            ps.setString(2, topic);
            ps.setString(3, reason);
            ps.setLong(4, System.currentTimeMillis());
            ps.setString(5, lines);
            ps.executeUpdate();
        }
        trim("refused_batches", REFUSED_BATCH_BYTES, limits.maxRefusedBatches());
    }

    /**
     * Trims a dead-letter table, oldest first, to its bound in rows and to {@code maxDeadLetterBytes}
     * (each table on its own: a noisy device never evicts a refused batch). The newest row always
     * stays, even alone over the byte bound: it holds the only copy of what it keeps. Counted by
     * table and bound once the transaction commits.
     */
    private void trim(String table, String sizeExpression, long keep) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "DELETE FROM " + table + " WHERE id <= (SELECT MAX(id) FROM " + table + ") - ?")) {
            ps.setLong(1, keep);
            pendingTrims.merge(table + TRIM_MAX_ROWS, (long) ps.executeUpdate(), Long::sum);
        }
        long total;
        long newest;
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COALESCE(SUM(" + sizeExpression + "), 0), COALESCE(MAX(id), 0) FROM " + table)) {
            rs.next();
            total = rs.getLong(1);
            newest = rs.getLong(2);
        }
        if (total <= limits.maxDeadLetterBytes()) {
            return;
        }
        long removed = 0;
        long lastId = -1;
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT id, " + sizeExpression + " FROM " + table + " WHERE id < ? ORDER BY id")) {
            ps.setLong(1, newest);
            try (ResultSet rs = ps.executeQuery()) {
                while (total - removed > limits.maxDeadLetterBytes() && rs.next()) {
                    lastId = rs.getLong(1);
                    removed += rs.getLong(2);
                }
            }
        }
        if (lastId >= 0) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM " + table + " WHERE id <= ?")) {
                ps.setLong(1, lastId);
                pendingTrims.merge(table + TRIM_MAX_BYTES, (long) ps.executeUpdate(), Long::sum);
            }
        }
    }

    /**
     * Dead letters and refused batches trimmed to make room for newer ones, by table and bound:
     * {@code device_dead_letters_max_rows}, {@code device_dead_letters_max_bytes},
     * {@code refused_batches_max_rows}, {@code refused_batches_max_bytes}.
     */
    public Map<String, Long> deadLettersTrimmed() {
        Map<String, Long> out = new java.util.TreeMap<>();
        trims.forEach((reason, count) -> out.put(reason, count.sum()));
        return out;
    }

    /** The newest device dead letters first, at most {@code max}. */
    public List<DeadLetter> deadLetters(int max) {
        lock.lock();
        try {
            requireOpen();
            return DeadLetterQueries.deadLetters(db, max);
        } catch (SQLException e) {
            throw failure("read dead letters", e);
        } finally {
            lock.unlock();
        }
    }

    public long deadLetterCount() {
        return count("device_dead_letters");
    }

    /** The newest refused batches first, at most {@code max}. */
    public List<RefusedBatch> refusedBatches(int max) {
        lock.lock();
        try {
            requireOpen();
            return DeadLetterQueries.refusedBatches(db, max);
        } catch (SQLException e) {
            throw failure("read refused batches", e);
        } finally {
            lock.unlock();
        }
    }

    public long refusedBatchCount() {
        return count("refused_batches");
    }

    /**
     * Puts a refused batch's records back at the end of the outbox and deletes the refused batch,
     * in one transaction (they will be sent again, under a new batch id).
     *
     * @return the number of records put back
     * @throws IllegalArgumentException when there is no such refused batch, or a line is not a record
     */
    public int replayRefusedBatch(long id) {
        lock.lock();
        try {
            requireOpen();
            RefusedBatch batch = DeadLetterQueries.refusedBatch(db, id);
            if (batch == null) {
                throw new IllegalArgumentException("no refused batch " + id);
            }
            List<Object> records = new ArrayList<>();
            int lineNo = 0;
            for (String line : batch.lines().split("\n")) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(json.readLine(line));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("refused batch " + id + " line " + lineNo
                            + " is not a record: " + e.getMessage(), e);
                }
            }
            List<OutboxRow> rows = OutboxRow.inOrder(records);
            long now = System.currentTimeMillis();
            checkDisk(OutboxRow.bytes(rows));
            inTransaction(() -> {
                insertRows(rows, now);
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM refused_batches WHERE id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }, "replay refused batch", true);
            for (OutboxRow row : rows) {
                account(row.isReading(), row.records(), row.bytes(), +1);
            }
            changed.signalAll();
            return records.size();
        } catch (SQLException e) {
            throw failure("replay refused batch " + id, e);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes one device dead letter (it was replayed). */
    public void removeDeadLetter(long id) {
        lock.lock();
        try {
            requireOpen();
            inTransaction(() -> {
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM device_dead_letters WHERE id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }, "remove dead letter", false);
        } finally {
            lock.unlock();
        }
    }

    private long count(String table) {
        lock.lock();
        try {
            requireOpen();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("count " + table, e);
        } finally {
            lock.unlock();
        }
    }

    // ---- state --------------------------------------------------------------------------------

    /** Records waiting for the hub. */
    public long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the waiting records count for in the {@code maxBytes} bound. */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
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
            throw failure("read", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many appends so far carried records a judge added (alarm transitions): the uplink compares
     * it with the count it last saw, and sends what waits at once when it grew.
     */
    public long urgentAppends() {
        lock.lock();
        try {
            return urgentAppends;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #awaitSize}, and also returns as soon as {@link #urgentAppends()} differs from
     * {@code urgentSeen}: an alarm does not linger for a batch to fill.
     */
    public long awaitSizeOrUrgent(long count, long timeoutMillis, long urgentSeen) throws InterruptedException {
        return await(count, timeoutMillis, true, urgentSeen);
    }

    /**
     * Waits until the outbox holds at least {@code count} records, the time is up or it is closed.
     *
     * @return the number of records it holds
     */
    public long awaitSize(long count, long timeoutMillis) throws InterruptedException {
        return await(count, timeoutMillis, false, 0);
    }

    private long await(long count, long timeoutMillis, boolean untilUrgent, long urgentSeen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lockInterruptibly();
        try {
            while (!closed && size < count && !(untilUrgent && urgentAppends != urgentSeen)) {
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
        return limits.maxRecords();
    }

    public OutboxLimits limits() {
        return limits;
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
            try {
                fileLock.release();
            } catch (IOException e) {
                LOG.debug("releasing the outbox lock: {}", e.getMessage());
            }
            closeQuietly(lockChannel);
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new OutboxClosedException("outbox " + path + " is closed");
        }
    }

    /** {@code PRAGMA synchronous} of the outbox's connection now (for tests: 2 is FULL, 1 NORMAL). */
    int synchronous() throws SQLException {
        lock.lock();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
        } finally {
            lock.unlock();
        }
    }

    /** Waiting appends (for tests: an append blocked for room is waiting once this counts it). */
    int waitingAppends() {
        lock.lock();
        try {
            return waitingAppends;
        } finally {
            lock.unlock();
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction; on failure rolls back and throws an OutboxException
     * (a {@link DiskFullException} when SQLite found the disk full).
     *
     * @param growing whether the work adds data: a full disk then marks the outbox disk-full
     */
    private void inTransaction(SqlWork work, String what, boolean growing) {
        inTransaction(work, what, growing, true);
    }

    /**
     * @param waitForDisk false: commit without waiting for the disk (synchronous=NORMAL for this transaction only).
     *                    Only for what a power cut may undo without loss: the removal of records the hub has
     *                    (undone, they are sent again, and the hub takes them as a replay). The next commit that
     *                    waits for the disk makes it durable too (one write-ahead log, synced in order)
     */
    private void inTransaction(SqlWork work, String what, boolean growing, boolean waitForDisk) {
        try {
            synchronousFull(waitForDisk);
            db.setAutoCommit(false);
            pendingTrims.clear();
            try {
                work.run();
                db.commit();
                pendingTrims.forEach((reason, count) -> {
                    if (count > 0) {
                        trims.computeIfAbsent(reason, r -> new LongAdder()).add(count);
                        rateLimited.warn("trimmed", "[outbox: {}] {} oldest {} trimmed ({})", path, count,
                                reason.startsWith("refused") ? "refused batches" : "device dead letters",
                                reason.endsWith(TRIM_MAX_BYTES) ? "outbox.maxDeadLetterBytes" : "their row bound");
                    }
                });
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                pendingTrims.clear();
                restoreAutoCommit();
                if (!waitForDisk) {
                    synchronousFull(true); // at once: a statement outside a transaction must not commit without it
                }
            }
        } catch (SQLException e) {
            OutboxException failure = failure(what, e);
            if (failure instanceof DiskFullException && growing) {
                markDiskFull(failure.getMessage());
            }
            throw failure;
        }
    }

    private void inTransaction(SqlWork work, String what) {
        inTransaction(work, what, false);
    }

    /** Sets {@code PRAGMA synchronous} (FULL or NORMAL) when it is not that already, outside any transaction. */
    private void synchronousFull(boolean full) throws SQLException {
        if (full == synchronousFull) {
            return;
        }
        try (Statement st = db.createStatement()) {
            st.execute(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        }
        synchronousFull = full;
    }

    /** An OutboxException that says "disk full" in plain words when that is what SQLite means. */
    private OutboxException failure(String what, SQLException e) {
        long usable = disk.usable();
        // SQLite rolls a transaction back by itself when the disk fills, and what the driver says
        // next ("cannot commit - no transaction is active") hides why: a nearly full disk is why
        if (isDiskFull(e) || (usable >= 0 && usable < limits.minFreeBytes())) {
            return new DiskFullException("disk full: outbox " + path + ": " + what + " failed: the file system of "
                    + disk.directory() + " has no space left", e);
        }
        return new OutboxException("outbox " + path + ": " + what + " failed: " + e.getMessage(), e);
    }

    static boolean isDiskFull(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                SQLiteErrorCode code = sqlite.getResultCode();
                if (code == SQLiteErrorCode.SQLITE_FULL || code == SQLiteErrorCode.SQLITE_IOERR_WRITE
                        || code == SQLiteErrorCode.SQLITE_IOERR_FSYNC || code == SQLiteErrorCode.SQLITE_IOERR_TRUNCATE) {
                    return true;
                }
            }
            String message = t.getMessage();
            if (message != null && (message.contains("SQLITE_FULL") || message.contains("database or disk is full"))) {
                return true;
            }
        }
        return false;
    }

    private void restoreAutoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException e) {
            // the transaction may be gone already (SQLite rolls back by itself on SQLITE_FULL)
            LOG.debug("[outbox: {}] restoring autocommit: {}", path, e.getMessage());
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            // SQLite rolls back by itself on a full disk: "no transaction is active" is expected then
            LOG.debug("[outbox: {}] rollback: {}", path, e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing the outbox failed: {}", e.getMessage());
        }
    }
}

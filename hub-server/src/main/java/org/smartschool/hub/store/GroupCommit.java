package org.smartschool.hub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes of several threads on one JDBC connection committed together: one commit, so one wait for the disk,
 * however many batches arrived while the previous commit was being flushed. With {@code synchronous=FULL} a
 * commit costs a few milliseconds of fsync on a Pi's SD card or a shared disk; committing every batch on its
 * own made a queue of batches each wait for all the fsyncs before it.
 *
 * <p>The first waiting thread that gets the connection commits everything queued so far (its own work
 * included); the others find their work done when they get it. Each piece of work runs within a savepoint, so
 * one that fails is undone alone and reported to its own caller while the others commit. A failed commit fails
 * every piece of the group: none of them is acknowledged.
 *
 * <p>The transaction is on the one connection given, or opened by {@link Transactions} for each group (the state
 * database's batch ids: a pooled connection, under the file's one writer lock, with that transaction's own
 * durability, whose pragmas, begin and commit a group then pays once).
 */
public final class GroupCommit {
    /** One caller's changes, made on the connection inside the group's transaction. */
    @FunctionalInterface
    public interface Work {
        void apply(Connection connection) throws SQLException;
    }

    /** Runs a group's work in one transaction: commits it when the work returns, undoes it when the work throws. */
    @FunctionalInterface
    public interface Transactions {
        void run(Work work) throws SQLException;
    }

    private final Object lock;
    private final Transactions transactions;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();

    /** @param connection used by this object only (and under its lock by anyone else who uses it) */
    public GroupCommit(Connection connection) {
        this(connection, work -> inTransaction(connection, work));
    }

    /** Each group in a transaction that {@code transactions} opens; one group at a time. */
    public GroupCommit(Transactions transactions) {
        this(new Object(), transactions);
    }

    private GroupCommit(Object lock, Transactions transactions) {
        this.lock = lock;
        this.transactions = transactions;
    }

    /** The lock held while a group is written (the connection, when one was given): hold it to use that connection outside a group. */
    public Object lock() {
        return lock;
    }

    /** Runs {@code work} in a transaction, committed (with others' work) before this returns. */
    public void run(Work work) throws SQLException {
        Pending mine = new Pending(work);
        queue.add(mine);
        synchronized (lock) {
            if (!mine.done) {
                commitQueued();
            }
        }
        if (mine.error != null) {
            throw mine.error;
        }
    }

    /** Under the lock: everything queued now, in one transaction. */
    private void commitQueued() {
        List<Pending> group = new ArrayList<>();
        for (Pending p; (p = queue.poll()) != null; ) {
            group.add(p);
        }
        try {
            transactions.run(connection -> {
                if (group.size() == 1) {
                    // alone, its failure undoes the transaction, which is all a savepoint would undo: two statements saved
                    group.get(0).work.apply(connection);
                    return;
                }
                for (Pending p : group) {
                    applyWithin(connection, p);
                }
            });
        } catch (SQLException e) {
            group.forEach(p -> p.error = p.error != null ? p.error : e);
        } catch (RuntimeException e) {
            group.forEach(p -> p.error = p.error != null ? p.error : new SQLException(e.toString(), e));
        } finally {
            group.forEach(p -> p.done = true);
        }
    }

    private static void inTransaction(Connection connection, Work work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.apply(connection);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            SqliteFiles.rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void applyWithin(Connection connection, Pending p) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            p.work.apply(connection);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException | RuntimeException e) {
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
            p.error = e instanceof SQLException s ? s : new SQLException(e.toString(), e);
        }
    }

    /** A piece of work and its result; written under the lock, read by its caller after taking the lock. */
    private static final class Pending {
        final Work work;
        boolean done;
        SQLException error;

        Pending(Work work) {
            this.work = work;
        }
    }
}

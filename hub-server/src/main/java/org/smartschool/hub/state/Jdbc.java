package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC on the state database: reads on a connection of their own, writes in one transaction
 * each, serialised within this process (SQLite has one writer; with PostgreSQL, replicas still
 * need the row locks a store takes), parameters bound by their Java type so that PostgreSQL gets
 * a BIGINT as a BIGINT.
 */
final class Jdbc {

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    interface Row<T> {
        T take(ResultSet rs) throws SQLException;
    }

    private final StateDatabase db;
    private final java.util.concurrent.locks.Lock writeLock;

    Jdbc(StateDatabase db) {
        this.db = db;
        // SQLite: one lock for all stores of the file; PostgreSQL: per store, as its row locks order replicas anyway
        this.writeLock = db.usesPostgres() ? new java.util.concurrent.locks.ReentrantLock() : db.sqliteWriter();
    }

    <T> T read(Work<T> work) {
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("state database " + db + ": " + e.getMessage(), e);
        }
    }

    /** Runs the work in a transaction; an exception thrown by the work rolls it back and is passed on. */
    <T> T write(Work<T> work) {
        return write(work, false);
    }

    /**
     * As {@link #write(Work)}, committed without waiting for the disk (SQLite {@code synchronous=NORMAL} in WAL
     * mode: a killed process loses nothing, a power cut at most the last commits; PostgreSQL
     * {@code synchronous_commit} off for this transaction). Only for writes whose loss is harmless: a webhook
     * lease or outcome lost that way means the delivery is sent again under the same webhook id.
     */
    <T> T writeRelaxed(Work<T> work) {
        return write(work, true);
    }

    private <T> T write(Work<T> work, boolean relaxed) {
        writeLock.lock();
        try {
            try (Connection c = db.connection()) {
                boolean sqliteRelaxed = relaxed && !db.usesPostgres();
                if (sqliteRelaxed) {
                    pragma(c, "PRAGMA synchronous = NORMAL");
                }
                try {
                    c.setAutoCommit(false);
                    try {
                        if (relaxed && db.usesPostgres()) {
                            pragma(c, "SET LOCAL synchronous_commit TO OFF");
                        }
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    }
                } finally {
                    if (sqliteRelaxed) {
                        c.setAutoCommit(true);
                        pragma(c, "PRAGMA synchronous = FULL"); // the pool's connection goes back as the others expect it
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("state database " + db + ": " + e.getMessage(), e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static void pragma(Connection c, String sql) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... parameters) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, parameters);
            try (ResultSet rs = st.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(row.take(rs));
                }
                return result;
            }
        }
    }

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, parameters);
            return st.executeUpdate();
        }
    }

    /** A nullable BIGINT column. */
    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static void bind(PreparedStatement st, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == null) {
                st.setNull(i + 1, Types.NULL); // untyped: PostgreSQL takes the column's type
            } else if (p instanceof Long n) {
                st.setLong(i + 1, n);
            } else if (p instanceof Integer n) {
                st.setInt(i + 1, n);
            } else if (p instanceof Double d) {
                st.setDouble(i + 1, d);
            } else {
                st.setString(i + 1, p.toString());
            }
        }
    }
}

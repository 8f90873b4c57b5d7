package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements of one transaction, each prepared once however many rows it runs for: SQLite compiles a
 * statement anew at every prepare, and the ledger runs the same few for every decision of a group commit.
 * Closed (with its statements) before the transaction ends; the connection stays the caller's.
 */
final class TransactionStatements implements AutoCloseable {
    private final Connection c;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    TransactionStatements(Connection c) {
        this.c = c;
    }

    int update(String sql, Object... parameters) throws SQLException {
        PreparedStatement st = statement(sql, parameters);
        return st.executeUpdate();
    }

    <T> List<T> query(String sql, Jdbc.Row<T> row, Object... parameters) throws SQLException {
        PreparedStatement st = statement(sql, parameters);
        try (ResultSet rs = st.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rs.next()) {
                result.add(row.take(rs));
            }
            return result;
        }
    }

    /**
     * Adds a row to {@code sql}'s batch, sent by {@link #executeBatch}: PostgreSQL then gets the rows in one round
     * trip instead of one each (a context switch to its backend and back per row on the hub's cores).
     */
    void addBatch(String sql, Object... parameters) throws SQLException {
        statement(sql, parameters).addBatch();
    }

    /** Runs the rows added to {@code sql}'s batch; their update counts in the order they were added. */
    int[] executeBatch(String sql) throws SQLException {
        PreparedStatement st = prepared.get(sql);
        return st == null ? new int[0] : st.executeBatch();
    }

    /** The transaction's statement for {@code sql}, prepared on its first use, its parameters cleared. */
    PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement st = prepared.get(sql);
        if (st == null) {
            st = c.prepareStatement(sql);
            prepared.put(sql, st);
        } else {
            st.clearParameters();
        }
        return st;
    }

    private PreparedStatement statement(String sql, Object[] parameters) throws SQLException {
        PreparedStatement st = prepared(sql);
        Jdbc.bind(st, parameters);
        return st;
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement st : prepared.values()) {
            try {
                st.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        prepared.clear();
        if (first != null) {
            throw first;
        }
    }
}

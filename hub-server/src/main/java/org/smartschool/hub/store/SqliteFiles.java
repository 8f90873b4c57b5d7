package org.smartschool.hub.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.sqlite.SQLiteConfig;

/** Opening and closing the hub's SQLite connections, shared by the time-series store and the hub state. */
final class SqliteFiles {
    private SqliteFiles() {
    }

    /**
     * A WAL connection to {@code file}, creating its directory when missing.
     *
     * @param synchronous FULL when a commit must survive a power cut (it precedes a PUBACK)
     */
    static Connection connect(Path file, SQLiteConfig.SynchronousMode synchronous) throws SQLException, IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronous);
        // the time series and the hub state may share one file: each waits for the other's commit
        config.setBusyTimeout(10_000);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
    }
}

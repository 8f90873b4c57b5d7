package org.smartschool.gateway.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.sqlite.SQLiteConfig;

/**
 * The outbox's dead letters read through a read-only connection, for the {@code dead-letters list}
 * and {@code export} commands: they work while the gateway runs (WAL lets a reader in beside it).
 */
public final class DeadLetterArchive implements AutoCloseable {
    private final Path path;
    private final Connection db;

    private DeadLetterArchive(Path path, Connection db) {
        this.path = path;
        this.db = db;
    }

    /** @throws OutboxException when the file does not exist or is not an outbox */
    public static DeadLetterArchive open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new OutboxException("no outbox at " + path, null);
        }
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(5000);
            Connection db = config.createConnection("jdbc:sqlite:" + path);
            DeadLetterArchive archive = new DeadLetterArchive(path, db);
            archive.refusedBatches(1); // fails early on a file that is no outbox (or from before the split)
            return archive;
        } catch (SQLException e) {
            throw new OutboxException("cannot read outbox " + path + ": " + e.getMessage(), e);
        }
    }

    /** The newest device dead letters first, at most {@code max}. */
    public List<DeadLetter> deadLetters(int max) {
        try {
            return DeadLetterQueries.deadLetters(db, max);
        } catch (SQLException e) {
            throw new OutboxException("cannot read the dead letters of " + path + ": " + e.getMessage(), e);
        }
    }

    /** The newest refused batches first, at most {@code max}. */
    public List<RefusedBatch> refusedBatches(int max) {
        try {
            return DeadLetterQueries.refusedBatches(db, max);
        } catch (SQLException e) {
            throw new OutboxException("cannot read the refused batches of " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // read-only: nothing to lose
        }
    }
}

package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.StoreException;
import org.smartschool.hub.testsupport.Batches;

/** The hub state contract on SQLite: a new file for each test; and what only SQLite has. */
class SqliteHubStateTest extends HubStateContract {
    @TempDir
    Path dir;

    @Override
    StateConfig emptyDatabase() {
        return StateDatabases.emptySqlite(dir);
    }

    /**
     * Verifies that the batch ids' kept connection recovers from a failed transaction: while another process holds
     * the file's write lock past the busy timeout (10 s), a batch id is refused with the cause (not acknowledged: the
     * gateway sends the batch again); once the file is free the same batch is recorded as new on a fresh connection
     * (the failed try left nothing behind) and the batch before it is still known as a replay.
     */
    @Test
    void aBatchIdRefusedWhileTheFileIsLockedIsRecordedOnTheNextTry() throws Exception {
        assertThat(state.recordBatch(Batches.classroom("gw-1", "school-1", "b-1", Batches.T0, 3))).isEqualTo(BatchOutcome.STORED);
        String file = StateDatabases.emptySqlite(dir).url();
        try (Connection other = DriverManager.getConnection(file); Statement st = other.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            assertThatThrownBy(() -> state.recordBatch(Batches.classroom("gw-1", "school-1", "b-2", Batches.T0, 3)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("b-2").hasMessageContaining("locked");
            st.execute("ROLLBACK");
        }
        assertThat(state.recordBatch(Batches.classroom("gw-1", "school-1", "b-2", Batches.T0, 3))).isEqualTo(BatchOutcome.STORED);
        assertThat(state.recordBatch(Batches.classroom("gw-1", "school-1", "b-1", Batches.T0, 3))).isEqualTo(BatchOutcome.REPLAYED);
    }
}

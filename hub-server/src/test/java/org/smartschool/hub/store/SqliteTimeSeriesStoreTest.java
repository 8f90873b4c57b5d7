package org.smartschool.hub.store;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The time-series contract on the embedded SQLite store, a fresh file per test. */
@Timeout(60)
class SqliteTimeSeriesStoreTest extends TimeSeriesStoreContract {
    @TempDir
    Path dir;

    private SqliteTimeSeriesStore store;

    @BeforeEach
    void open() {
        store = SqliteTimeSeriesStore.open(dir.resolve("hub-store.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected TimeSeriesStore store() {
        return store;
    }
}

package org.smartschool.hub.testsupport;

import java.nio.file.Path;
import java.time.Clock;

import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.state.JdbcHubState;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.store.SqliteTimeSeriesStore;
import org.smartschool.hub.store.TimeSeriesStore;

/** Hub stores for tests: time series as given, the hub's state in {@code hub-state.db} beside them (as the hub's default). */
public final class TestStores {
    private TestStores() {
    }

    /** Readings in the SQLite file {@code file}, the hub's state in {@code hub-state.db} in the same directory. */
    public static HubStore sqlite(Path file, Clock clock) {
        return with(SqliteTimeSeriesStore.open(file), file, clock);
    }

    public static HubStore sqlite(Path file) {
        return sqlite(file, Clock.systemUTC());
    }

    /** {@code series}, with the hub's state in {@code hub-state.db} in the directory of {@code dataFile}. */
    public static HubStore with(TimeSeriesStore series, Path dataFile, Clock clock) {
        try {
            return new HubStore(series, JdbcHubState.open(StateConfig.DEFAULT.resolve(dataFile), clock));
        } catch (RuntimeException e) {
            series.close();
            throw e;
        }
    }
}

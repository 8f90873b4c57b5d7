package org.smartschool.hub.state;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.StateConfig;

/** The fleet event log contract on SQLite: a new file for each test. */
class SqliteFleetEventLogTest extends FleetEventLogContract {
    @TempDir
    Path dir;

    @Override
    StateConfig database() {
        return StateDatabases.emptySqlite(dir);
    }
}

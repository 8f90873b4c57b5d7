package org.smartschool.hub.state;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.StateConfig;

/** The hub state contract on SQLite: a new file for each test. */
class SqliteHubStateTest extends HubStateContract {
    @TempDir
    Path dir;

    @Override
    StateConfig emptyDatabase() {
        return StateDatabases.emptySqlite(dir);
    }
}

package org.smartschool.hub.state;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.StateConfig;

/** The registry contract on SQLite: a new file in a temporary directory for each test. */
class SqliteRegistryStoreTest extends RegistryStoreContract {
    @TempDir
    Path dir;

    @Override
    StateConfig emptyDatabase() {
        return StateConfig.sqlite(dir.resolve("state").resolve("hub-state.db"));
    }
}

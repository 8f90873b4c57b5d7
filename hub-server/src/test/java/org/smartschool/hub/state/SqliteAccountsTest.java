package org.smartschool.hub.state;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.StateConfig;

/** The accounts contract on SQLite: a new file for each test. */
class SqliteAccountsTest extends AccountsContract {
    @TempDir
    Path dir;

    @Override
    StateConfig emptyDatabase() {
        return StateConfig.sqlite(dir.resolve("hub-state.db"));
    }
}

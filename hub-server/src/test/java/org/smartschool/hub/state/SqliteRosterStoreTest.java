package org.smartschool.hub.state;

import org.smartschool.hub.config.StateConfig;

/** The roster store contract on SQLite (a temporary file), the hub's default state database. */
class SqliteRosterStoreTest extends RosterStoreContract {

    @Override
    StateConfig emptyDatabase() {
        return StateDatabases.emptySqlite(dir);
    }
}

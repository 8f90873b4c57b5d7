package org.smartschool.hub.state;

import org.smartschool.hub.config.StateConfig;

/** The Ed-Fi forwarding contract on SQLite (a temporary file), the hub's default state database. */
class SqliteEdfiForwardingTest extends EdfiForwardingContract {

    @Override
    StateConfig emptyDatabase() {
        return StateDatabases.emptySqlite(dir);
    }
}

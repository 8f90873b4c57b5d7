package org.smartschool.hub.state;

import org.smartschool.hub.config.StateConfig;

/** The attendance ledger contract on SQLite (a temporary file), the hub's default state database. */
class SqliteAttendanceLedgerTest extends AttendanceLedgerContract {

    @Override
    StateConfig emptyDatabase() {
        return StateDatabases.emptySqlite(dir);
    }
}

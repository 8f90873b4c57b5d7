package org.smartschool.hub.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.TestPostgres;

/** Empty state databases for the contract tests: a new SQLite file, or a PostgreSQL schema emptied again. */
final class StateDatabases {
    private StateDatabases() {
    }

    static StateConfig emptySqlite(Path dir) {
        return StateConfig.sqlite(dir.resolve("state").resolve("hub-state.db"));
    }

    static StateConfig emptyPostgres(TestPostgres postgres) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.url()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA public CASCADE");
            st.execute("CREATE SCHEMA public");
        }
        return new StateConfig(postgres.url(), "", "", 4);
    }
}

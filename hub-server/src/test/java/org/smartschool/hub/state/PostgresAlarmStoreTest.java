package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.TestPostgres;

/** The alarm store contract on the real PostgreSQL ({@code SS_TEST_PG_URL}), in a database of its own. */
class PostgresAlarmStoreTest extends AlarmStoreContract {
    private static TestPostgres postgres;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = TestPostgres.create("alarms");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    StateConfig emptyDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.url()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA public CASCADE");
            st.execute("CREATE SCHEMA public");
        }
        return new StateConfig(postgres.url(), "", "", 4);
    }
}

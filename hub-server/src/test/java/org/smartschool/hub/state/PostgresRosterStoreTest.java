package org.smartschool.hub.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.TestPostgres;

/** The roster store contract on the real PostgreSQL ({@code SS_TEST_PG_URL}), in a database of its own. */
class PostgresRosterStoreTest extends RosterStoreContract {
    private static TestPostgres postgres;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = TestPostgres.create("roster");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    StateConfig emptyDatabase() throws Exception {
        return StateDatabases.emptyPostgres(postgres);
    }
}

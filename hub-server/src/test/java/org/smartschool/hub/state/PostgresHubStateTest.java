package org.smartschool.hub.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.TestPostgres;

/** The hub state contract on a real PostgreSQL ({@code SS_TEST_PG_URL}): a database of its own, dropped at the end. */
class PostgresHubStateTest extends HubStateContract {
    private static TestPostgres postgres;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = TestPostgres.create("hubstate");
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

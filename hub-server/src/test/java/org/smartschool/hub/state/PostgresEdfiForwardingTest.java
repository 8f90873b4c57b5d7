package org.smartschool.hub.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.TestPostgres;

/** The Ed-Fi forwarding contract on the real PostgreSQL ({@code SS_TEST_PG_URL}), in a database of its own. */
class PostgresEdfiForwardingTest extends EdfiForwardingContract {
    private static TestPostgres postgres;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = TestPostgres.create("edfi");
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

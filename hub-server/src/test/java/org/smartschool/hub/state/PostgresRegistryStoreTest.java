package org.smartschool.hub.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.TestPostgres;

/**
 * The registry contract on a real PostgreSQL ({@code SS_TEST_PG_URL}): a database of its own for this
 * class, dropped at the end; each test starts from an empty schema, which Flyway migrates again.
 */
class PostgresRegistryStoreTest extends RegistryStoreContract {
    private static TestPostgres postgres;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = TestPostgres.create("registry");
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

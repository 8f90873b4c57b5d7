package org.smartschool.hub.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.TestPostgres;

/** The fleet event log contract on a real PostgreSQL ({@code SS_TEST_PG_URL}): a database of its own, dropped at the end. */
class PostgresFleetEventLogTest extends FleetEventLogContract {
    private static TestPostgres postgres;
    private StateConfig current;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = TestPostgres.create("fleetlog");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void forget() {
        current = null;
    }

    @Override
    StateConfig database() throws Exception {
        if (current == null) {
            current = StateDatabases.emptyPostgres(postgres);
        }
        return current;
    }
}

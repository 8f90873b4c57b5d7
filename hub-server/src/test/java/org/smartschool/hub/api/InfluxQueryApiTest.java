package org.smartschool.hub.api;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.store.influx.IndexedInfluxStore;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.TestInflux;
import org.smartschool.hub.testsupport.TestStores;

/** The query API on the real InfluxDB ({@code SS_TEST_INFLUX_URL}), a database per test. */
class InfluxQueryApiTest extends QueryApiContract {
    private String url;
    private String database;

    @Override
    protected HubStore openStore(Path dir) {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(InfluxQueryApiTest.class);
        InfluxTimeSeriesStore series = InfluxTimeSeriesStore.open(TestInflux.config(url, database));
        // as the hub opens it: latest values and rooms from the in-memory index
        return TestStores.with(new IndexedInfluxStore(series, Clock.systemUTC()), dir.resolve("hub-store.db"), Clock.systemUTC());
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }
}

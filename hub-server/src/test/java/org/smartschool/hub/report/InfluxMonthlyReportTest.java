package org.smartschool.hub.report;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.smartschool.hub.store.TimeSeriesStore;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;
import org.smartschool.hub.testsupport.TestInflux;

/** The monthly report's store contract on the real InfluxDB ({@code SS_TEST_INFLUX_URL}): InfluxQL's GROUP BY time(). */
@Timeout(120)
class InfluxMonthlyReportTest extends MonthlyReportStoreContract {
    private static String url;
    private static String database;

    @BeforeAll
    static void database() {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(InfluxMonthlyReportTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }

    @Override
    protected TimeSeriesStore openTimeSeries() {
        return InfluxTimeSeriesStore.open(TestInflux.config(url, database));
    }
}

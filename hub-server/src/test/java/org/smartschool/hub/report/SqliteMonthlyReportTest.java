package org.smartschool.hub.report;

import org.junit.jupiter.api.Timeout;
import org.smartschool.hub.store.SqliteTimeSeriesStore;
import org.smartschool.hub.store.TimeSeriesStore;

/** The monthly report's store contract on the embedded SQLite time series. */
@Timeout(60)
class SqliteMonthlyReportTest extends MonthlyReportStoreContract {
    @Override
    protected TimeSeriesStore openTimeSeries() {
        return SqliteTimeSeriesStore.open(dir.resolve("hub-store.db"));
    }
}

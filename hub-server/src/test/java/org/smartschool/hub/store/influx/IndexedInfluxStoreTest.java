package org.smartschool.hub.store.influx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.TimeSeriesStore;
import org.smartschool.hub.store.TimeSeriesStoreContract;
import org.smartschool.hub.testsupport.TestInflux;

/**
 * The InfluxDB store as the hub opens it, with latest values and rooms from the in-memory index: the time-series
 * contract on the real InfluxDB ({@code SS_TEST_INFLUX_URL}), and the index seeded from InfluxDB by a new process.
 */
class IndexedInfluxStoreTest extends TimeSeriesStoreContract {
    private static String url;
    private static String database;

    private IndexedInfluxStore store;

    @BeforeAll
    static void database() {
        url = TestInflux.url();
        database = TestInflux.uniqueDatabase(IndexedInfluxStoreTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        if (database != null) {
            TestInflux.dropDatabase(url, database);
        }
    }

    @BeforeEach
    void open() {
        store = new IndexedInfluxStore(InfluxTimeSeriesStore.open(TestInflux.config(url, database)), Clock.systemUTC());
        store.seedNow();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected TimeSeriesStore store() {
        return store;
    }

    @Override
    protected String everythingStored() {
        return org.smartschool.hub.testsupport.StoreContents.influx(url, database);
    }

    /**
     * Verifies that a hub started later (or another replica) sees what this one stored: a new index seeded from
     * InfluxDB answers the same latest values and rooms as the unbounded queries of the store underneath, and a
     * newer reading replaces the seeded value while an older one does not.
     */
    @Test
    void newIndexIsSeededFromInfluxAndKeepsTheNewestValue() {
        String school = "seeded-school";
        DeviceRef air = new DeviceRef(school, "r1", "r1-air");
        store.write(new Batch("seed-1", "gw-seed", school, List.of(Reading.of(air, Quantity.CO2, 700, t0),
                Reading.of(air, Quantity.CO2, 720, t0 + 60_000), Reading.of(air, Quantity.TEMPERATURE, 26, t0)), List.of()));

        try (IndexedInfluxStore later = new IndexedInfluxStore(InfluxTimeSeriesStore.open(TestInflux.config(url, database)),
                Clock.systemUTC())) {
            later.seedNow();
            assertThat(later.latestValues().stream().filter(v -> v.school().equals(school)).toList())
                    .isEqualTo(store.store().latestValues().stream().filter(v -> v.school().equals(school)).toList())
                    .extracting(v -> v.quantity().id() + "=" + v.value()).containsExactly("co2=720.0", "temperature=26.0");
            assertThat(later.rooms()).containsAll(store.store().rooms());

            later.write(new Batch("seed-2", "gw-seed", school, List.of(Reading.of(air, Quantity.CO2, 650, t0 - 60_000),
                    Reading.of(air, Quantity.TEMPERATURE, 27, t0 + 120_000)), List.of()));
            assertThat(later.latestValues().stream().filter(v -> v.school().equals(school)))
                    .extracting(v -> v.quantity().id() + "=" + v.value()).containsExactly("co2=720.0", "temperature=27.0");
        }
    }
}

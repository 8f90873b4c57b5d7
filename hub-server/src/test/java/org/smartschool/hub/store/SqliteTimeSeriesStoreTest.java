package org.smartschool.hub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.hub.testsupport.StoreContents;

/** The time-series contract on the embedded SQLite store, a fresh file per test. */
@Timeout(60)
class SqliteTimeSeriesStoreTest extends TimeSeriesStoreContract {
    @TempDir
    Path dir;

    private SqliteTimeSeriesStore store;

    @BeforeEach
    void open() {
        store = SqliteTimeSeriesStore.open(dir.resolve("hub-store.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected TimeSeriesStore store() {
        return store;
    }

    @Override
    protected String everythingStored() {
        return StoreContents.sqlite(dir.resolve("hub-store.db"));
    }

    /** Verifies that a file of schema 2 forgets the attendance events and personal attributes it kept, once reopened. */
    @Test
    void aFileOfSchemaTwoForgetsPersonalDataOnOpen() throws Exception {
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub-store.db"));
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO events VALUES ('e-tap', '" + school + "', 'r1', 'door-1', 'card_tap', " + t0
                    + ", '{\"count\":\"1\",\"uid\":\"04:A2:3B:1C:5D:80\"}', 'gw', 'b1', " + t0 + ")");
            s.execute("INSERT INTO events VALUES ('e-att', '" + school + "', 'r1', 'door-1', 'attendance', " + t0
                    + ", '{\"learner_id\":\"079212345678\"}', 'gw', 'b1', " + t0 + ")");
            s.execute("PRAGMA user_version = 2");
        }

        store = SqliteTimeSeriesStore.open(dir.resolve("hub-store.db"));

        String everything = everythingStored();
        assertThat(everything).contains("e-tap").contains("{\"count\":\"1\"}")
                .doesNotContain("04:A2:3B:1C:5D:80").doesNotContain("079212345678").doesNotContain("e-att");
    }

    /** Verifies that a file of schema 1 (no devices table) lists its devices from its readings and events once reopened. */
    @Test
    void aFileOfSchemaOneGetsItsDevicesFilledOnOpen() throws Exception {
        store.write(batch(List.of(
                        reading("r1", "co2-1", Quantity.CO2, 700, t0 + 20_000),
                        reading("r1", "co2-1", Quantity.CO2, 650, t0 + 10_000)),
                List.of(event("r2", "door-2", EventType.DOOR_OPEN, t0 + 40_000, Map.of()))));
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub-store.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE devices");
            s.execute("PRAGMA user_version = 1");
        }

        store = SqliteTimeSeriesStore.open(dir.resolve("hub-store.db"));

        assertThat(store.devicesLastSeen(school)).containsExactly(
                new DeviceLastSeen(school, "r1", "co2-1", t0 + 20_000),
                new DeviceLastSeen(school, "r2", "door-2", t0 + 40_000));
    }
}

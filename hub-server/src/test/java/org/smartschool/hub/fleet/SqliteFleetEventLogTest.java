package org.smartschool.hub.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The durable fleet event log on a real SQLite file. */
@Timeout(20)
class SqliteFleetEventLogTest {
    @TempDir
    Path dir;

    /** Verifies that events are kept across reopening and queried by gateway, time range and limit, oldest first. */
    @Test
    void keepsEventsAcrossReopenAndFiltersByGatewayTimeAndLimit() {
        Path file = dir.resolve("data").resolve(SqliteFleetEventLog.FILE_NAME);
        FleetEvent a1 = new FleetEvent(1_000, "gw-a", "school-a", FleetEventType.SESSION_TAKEN_OVER, "from 10.0.0.2");
        FleetEvent b1 = new FleetEvent(1_500, "gw-b", "school-b", FleetEventType.SESSION_TAKEN_OVER, "");
        FleetEvent a2 = new FleetEvent(2_000, "gw-a", "school-a", FleetEventType.TAKEOVER_LOOP, "two devices");
        try (SqliteFleetEventLog log = SqliteFleetEventLog.open(file)) {
            log.record(a2);
            log.record(a1);
            log.record(b1);
        }

        try (SqliteFleetEventLog log = SqliteFleetEventLog.open(file)) {
            assertThat(log.events(null, 0, Long.MAX_VALUE, 10)).containsExactly(a1, b1, a2);
            assertThat(log.events("gw-a", 0, Long.MAX_VALUE, 10)).containsExactly(a1, a2);
            assertThat(log.events("gw-a", 1_001, 2_001, 10)).containsExactly(a2);
            assertThat(log.events("gw-a", 1_000, 2_000, 10)).containsExactly(a1);
            assertThat(log.events(null, 0, Long.MAX_VALUE, 2)).containsExactly(a1, b1);
            assertThat(log.events("gw-c", 0, Long.MAX_VALUE, 10)).isEqualTo(List.of());
        }
    }

    /**
     * Verifies that a file written before sensor events (no cause, room, device columns) opens, keeps its events and
     * takes the new ones; and that the query filters by school, gateway, type and time, newest first, with a limit.
     */
    @Test
    void upgradesAnOlderFileAndQueriesNewestFirst() throws Exception {
        Path file = dir.resolve(SqliteFleetEventLog.FILE_NAME);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE fleet_events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL,"
                    + " gateway TEXT NOT NULL, school TEXT NOT NULL, type TEXT NOT NULL, detail TEXT NOT NULL)");
            st.execute("INSERT INTO fleet_events (ts, gateway, school, type, detail)"
                    + " VALUES (1000, 'gw-a', 'school-a', 'session_taken_over', 'old')");
        }
        FleetEvent old = new FleetEvent(1_000, "gw-a", "school-a", FleetEventType.SESSION_TAKEN_OVER, "old");
        FleetEvent offline = new FleetEvent(2_000, "gw-a", "school-a", FleetEventType.GATEWAY_OFFLINE,
                OfflineCause.WILL.label(), null, null, "will");
        FleetEvent silent = new FleetEvent(3_000, "gw-b", "school-b", FleetEventType.SENSOR_SILENT, null, "r1", "co2-1", "");
        FleetEvent back = new FleetEvent(3_000, "gw-b", "school-b", FleetEventType.SENSOR_BACK, null, "r1", "co2-1", "");

        try (SqliteFleetEventLog log = SqliteFleetEventLog.open(file)) {
            log.record(offline);
            log.record(silent);
            log.record(back);

            assertThat(log.query(new FleetEventQuery(null, null, null, 0, Long.MAX_VALUE, 10)))
                    .containsExactly(back, silent, offline, old);
            assertThat(log.query(new FleetEventQuery("school-a", null, null, 0, Long.MAX_VALUE, 10)))
                    .containsExactly(offline, old);
            assertThat(log.query(new FleetEventQuery(null, "gw-b", FleetEventType.SENSOR_SILENT, 0, Long.MAX_VALUE, 10)))
                    .containsExactly(silent);
            assertThat(log.query(new FleetEventQuery(null, null, null, 1_000, 3_000, 10))).containsExactly(offline, old);
            assertThat(log.query(new FleetEventQuery(null, null, null, 0, Long.MAX_VALUE, 1))).containsExactly(back);
        }
    }
}

package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventQuery;
import org.smartschool.hub.fleet.FleetEventType;
import org.smartschool.hub.fleet.OfflineCause;

/**
 * The fleet event log in the state database, run against SQLite ({@link SqliteFleetEventLogTest}) and PostgreSQL
 * ({@link PostgresFleetEventLogTest}).
 */
@Timeout(60)
abstract class FleetEventLogContract {

    /** The same empty database each time it is called within one test. */
    abstract StateConfig database() throws Exception;

    /** Verifies that events are kept across reopening and queried by gateway, time range and limit, oldest first. */
    @Test
    void keepsEventsAcrossReopenAndFiltersByGatewayTimeAndLimit() throws Exception {
        FleetEvent a1 = new FleetEvent(1_000, "gw-a", "school-a", FleetEventType.SESSION_TAKEN_OVER, "from 10.0.0.2");
        FleetEvent b1 = new FleetEvent(1_500, "gw-b", "school-b", FleetEventType.SESSION_TAKEN_OVER, "");
        FleetEvent a2 = new FleetEvent(2_000, "gw-a", "school-a", FleetEventType.TAKEOVER_LOOP, "two devices");
        try (JdbcFleetEventLog log = JdbcFleetEventLog.open(database())) {
            log.record(a2);
            log.record(a1);
            log.record(b1);
        }

        try (JdbcFleetEventLog log = JdbcFleetEventLog.open(database())) {
            assertThat(log.events(null, 0, Long.MAX_VALUE, 10)).containsExactly(a1, b1, a2);
            assertThat(log.events("gw-a", 0, Long.MAX_VALUE, 10)).containsExactly(a1, a2);
            assertThat(log.events("gw-a", 1_001, 2_001, 10)).containsExactly(a2);
            assertThat(log.events("gw-a", 1_000, 2_000, 10)).containsExactly(a1);
            assertThat(log.events(null, 0, Long.MAX_VALUE, 2)).containsExactly(a1, b1);
            assertThat(log.events("gw-c", 0, Long.MAX_VALUE, 10)).isEqualTo(List.of());
        }
    }

    /**
     * Verifies that the query filters by school, gateway, type and time, newest first (recording order breaks ties),
     * with a limit, and keeps cause, room and device.
     */
    @Test
    void queriesNewestFirstByEveryFilter() throws Exception {
        FleetEvent old = new FleetEvent(1_000, "gw-a", "school-a", FleetEventType.SESSION_TAKEN_OVER, "old");
        FleetEvent offline = new FleetEvent(2_000, "gw-a", "school-a", FleetEventType.GATEWAY_OFFLINE,
                OfflineCause.WILL.label(), null, null, "will");
        FleetEvent silent = new FleetEvent(3_000, "gw-b", "school-b", FleetEventType.SENSOR_SILENT, null, "r1", "co2-1", "");
        FleetEvent back = new FleetEvent(3_000, "gw-b", "school-b", FleetEventType.SENSOR_BACK, null, "r1", "co2-1", "");

        try (JdbcFleetEventLog log = JdbcFleetEventLog.open(database())) {
            log.record(old);
            log.record(offline);
            log.record(silent);
            log.record(back);

            assertThat(log.query(new FleetEventQuery(null, null, null, 0, Long.MAX_VALUE, 10)))
                    .containsExactly(back, silent, offline, old);
            assertThat(log.query(new FleetEventQuery("school-a", null, null, 0, Long.MAX_VALUE, 10)))
                    .containsExactly(offline, old);
            assertThat(log.query(new FleetEventQuery(null, "gw-b", FleetEventType.SENSOR_SILENT, 0, Long.MAX_VALUE, 10)))
                    .containsExactly(silent);
            assertThat(log.query(new FleetEventQuery("school-b", "gw-b", null, 0, Long.MAX_VALUE, 10)))
                    .containsExactly(back, silent);
            assertThat(log.query(new FleetEventQuery(null, null, null, 1_000, 3_000, 10))).containsExactly(offline, old);
            assertThat(log.query(new FleetEventQuery(null, null, null, 0, Long.MAX_VALUE, 1))).containsExactly(back);
        }
    }
}

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
}

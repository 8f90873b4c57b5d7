package org.smartschool.hub.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.state.JdbcFleetEventLog;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.testsupport.ManualClock;

/** The fleet as the state database remembers it, taken back at start (real SQLite state database). */
@Timeout(30)
class FleetRestoreTest {
    private static final long T = 1_800_000_000_000L;

    @TempDir
    Path dir;

    /**
     * Verifies that restored gateways are offline with their last contact and health; that an uncleared silence comes
     * back (and is not reported again by the next check), while a cleared one does not; and that a gateway the
     * previous process left online (it was killed) gets the gateway_offline it could not record.
     */
    @Test
    void restoresOfflineGatewaysTheirSilenceAndClosesWhatAKilledHubLeftOpen() throws Exception {
        try (FleetEventLog log = JdbcFleetEventLog.open(StateConfig.sqlite(dir.resolve("hub-state.db")))) {
            // gw-a: went silent and was never heard again; gw-b: silent, then back, then cleanly offline;
            // gw-c: online when the previous hub was killed
            log.record(new FleetEvent(T, "gw-a", "s-a", FleetEventType.GATEWAY_ONLINE, "connected"));
            log.record(new FleetEvent(T + 1_000, "gw-a", "s-a", FleetEventType.GATEWAY_SILENT, "no batch"));
            log.record(new FleetEvent(T + 1_000, "gw-a", "s-a", FleetEventType.GATEWAY_OFFLINE,
                    OfflineCause.SILENT.label(), null, null, "connected but silent"));
            log.record(new FleetEvent(T, "gw-b", "s-b", FleetEventType.GATEWAY_ONLINE, "connected"));
            log.record(new FleetEvent(T + 1_000, "gw-b", "s-b", FleetEventType.GATEWAY_SILENT, "no batch"));
            log.record(new FleetEvent(T + 2_000, "gw-b", "s-b", FleetEventType.GATEWAY_BACK, "sent a batch"));
            log.record(new FleetEvent(T + 3_000, "gw-b", "s-b", FleetEventType.GATEWAY_OFFLINE,
                    OfflineCause.DISCONNECTED.label(), null, null, "disconnect"));
            log.record(new FleetEvent(T + 5_000, "gw-c", "s-c", FleetEventType.GATEWAY_ONLINE, "connected"));
            List<GatewayStatus> statuses = List.of(
                    new GatewayStatus("gw-a", "s-a", T + 100, "{\"uptimeSeconds\":7}", T + 100),
                    new GatewayStatus("gw-b", "s-b", T + 2_500, null, 0),
                    new GatewayStatus("gw-c", "s-c", T + 4_000, null, 0));

            long restart = T + 10_000;
            FleetRestore.Restored restored = FleetRestore.of(statuses, log, restart);

            assertThat(restored.gateways()).containsExactly(
                    new GatewayLiveness("gw-a", "s-a", false, T + 100, T + 1_000, HealthSummary.of("{\"uptimeSeconds\":7}", T + 100)),
                    new GatewayLiveness("gw-b", "s-b", false, T + 2_500, null, null),
                    new GatewayLiveness("gw-c", "s-c", false, T + 5_000, null, null));
            assertThat(restored.closing()).extracting(FleetEvent::gateway, FleetEvent::type, FleetEvent::cause, FleetEvent::time)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("gw-c", FleetEventType.GATEWAY_OFFLINE,
                            OfflineCause.CONNECTION_LOST.label(), restart));

            ManualClock clock = new ManualClock(restart);
            FleetMonitor monitor = new FleetMonitor(new FleetConfig(15, 60, 3, 60, 0), log, clock,
                    new SimpleMeterRegistry());
            monitor.restore(restored);
            assertThat(monitor.gateways()).isEqualTo(restored.gateways());
            clock.advance(120_000);
            // gw-a is silent already: only gw-b and gw-c fall silent now
            assertThat(monitor.check().get()).extracting(FleetEvent::gateway, FleetEvent::type).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("gw-b", FleetEventType.GATEWAY_SILENT),
                    org.assertj.core.groups.Tuple.tuple("gw-c", FleetEventType.GATEWAY_SILENT));
            monitor.close();
            assertThat(log.query(new FleetEventQuery(null, "gw-c", FleetEventType.GATEWAY_OFFLINE, 0, Long.MAX_VALUE, 5)))
                    .extracting(FleetEvent::detail).containsExactly("the hub restarted: the connection ended with the previous hub process");
        }
    }
}

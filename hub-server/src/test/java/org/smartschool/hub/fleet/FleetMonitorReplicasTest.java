package org.smartschool.hub.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.state.JdbcFleetEventLog;
import org.smartschool.hub.state.JdbcSharedLiveness;
import org.smartschool.hub.state.StateDatabase;
import org.smartschool.hub.testsupport.ManualClock;
import org.smartschool.hub.testsupport.TestPostgres;

/**
 * Two fleet monitors (two replicas' liveness) on one real PostgreSQL state database, with a clock the test moves:
 * what a replica records when a gateway's connection to it died silently while the gateway moved to the other
 * (the load balancer sent the reconnect elsewhere) and the old replica notices only at the keep-alive timeout.
 */
class FleetMonitorReplicasTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final FleetConfig FLEET = new FleetConfig(3600, 90, 3, 60, 180);

    private static List<String> types(FleetEventLog log, String gateway) {
        List<FleetEvent> events = new ArrayList<>(log.query(new FleetEventQuery(null, gateway, null, 0, Long.MAX_VALUE, 100)));
        Collections.reverse(events);
        return events.stream().map(e -> e.type().label() + (e.cause() == null ? "" : "/" + e.cause())).toList();
    }

    /**
     * Verifies that the late {@code connection_lost} of the connection the gateway left is not recorded (it would
     * say offline while the gateway is online at the other replica), while a clean close is, and a connection lost
     * of a gateway that did not move is; and that the old replica does not take the moved gateway for silent past
     * the limit while it finds a gateway of its own silent.
     */
    @Test
    void theConnectionAGatewayLeftDiesWithoutAContradiction() throws Exception {
        try (TestPostgres postgres = TestPostgres.create("monitorreplicas");
             StateDatabase db = StateDatabase.open(new StateConfig(postgres.url(), "", "", 2));
             FleetEventLog log = new JdbcFleetEventLog(db)) {
            ManualClock clock = new ManualClock(NOW);
            FleetMonitor a = new FleetMonitor(FLEET, log, clock, new SimpleMeterRegistry(), new JdbcSharedLiveness(db, "a"));
            FleetMonitor b = new FleetMonitor(FLEET, log, clock, new SimpleMeterRegistry(), new JdbcSharedLiveness(db, "b"));
            try (a; b) {
                Object staleOnA = new Object();
                a.connected("gw-1", "school-1", staleOnA);
                a.contact("gw-1", "school-1");
                a.connected("gw-2", "school-2", new Object());
                Object lostOnA = new Object();
                a.connected("gw-3", "school-3", lostOnA);
                a.share().get(10, TimeUnit.SECONDS);

                clock.advance(5_000);
                Object onB = new Object();
                b.connected("gw-1", "school-1", onB);
                for (int i = 0; i < 10; i++) {
                    clock.advance(10_000);
                    b.contact("gw-1", "school-1");
                    b.share().get(10, TimeUnit.SECONDS);
                }
                // the keep-alive timeout: A notices both of its dead connections now
                a.disconnected("gw-1", staleOnA, OfflineCause.CONNECTION_LOST, "keep-alive timeout");
                a.disconnected("gw-3", lostOnA, OfflineCause.CONNECTION_LOST, "keep-alive timeout");
                assertThat(a.check().get(10, TimeUnit.SECONDS)).extracting(FleetEvent::gateway).doesNotContain("gw-1");
                a.flush().get(10, TimeUnit.SECONDS);

                assertThat(types(log, "gw-3")).containsExactly("gateway_online", "gateway_offline/connection_lost",
                        "gateway_silent");
                assertThat(types(log, "gw-2")).containsExactly("gateway_online", "gateway_silent",
                        "gateway_offline/silent");
                assertThat(types(log, "gw-1")).containsExactly("gateway_online", "gateway_online");
                assertThat(a.gateways()).filteredOn(g -> g.gateway().equals("gw-1")).singleElement()
                        .satisfies(g -> assertThat(g.silentSince()).isNull());

                b.disconnected("gw-1", onB, OfflineCause.DISCONNECTED, "DISCONNECT from the gateway");
                b.flush().get(10, TimeUnit.SECONDS);
                assertThat(types(log, "gw-1")).containsExactly("gateway_online", "gateway_online",
                        "gateway_offline/disconnected");
            }
        }
    }
}

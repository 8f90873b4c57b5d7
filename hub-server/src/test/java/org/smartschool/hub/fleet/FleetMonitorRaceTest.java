package org.smartschool.hub.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.testsupport.ManualClock;

/**
 * The ordering guarantee of {@link FleetMonitor} under a real race: a check and the commit of a reading of the same
 * silent sensor start together on two threads, many times, against the real SQLite fleet event log.
 */
class FleetMonitorRaceTest {
    private static final int ROUNDS = 200;

    @TempDir
    Path dir;

    private static Batch batch(String school, String device, long time) {
        return new Batch(school + "-" + time, "gw-race", school,
                List.of(Reading.of(new DeviceRef(school, "r1", device), Quantity.CO2, 600, time)), List.of());
    }

    /**
     * Verifies that whichever thread wins, the log of each sensor is either empty (the reading came first) or
     * sensor_silent then sensor_back (the check came first): never a sensor_silent left alone, never the two the
     * wrong way round; and that the log agrees with the monitor's state (no sensor counted silent at the end).
     */
    @Test
    void aReadingRacingTheCheckNeverLeavesAStaleSilence() throws Exception {
        int silentFirst = 0;
        try (FleetEventLog log = org.smartschool.hub.state.JdbcFleetEventLog.open(
                org.smartschool.hub.config.StateConfig.sqlite(dir.resolve("hub-state.db")))) {
            for (int round = 0; round < ROUNDS; round++) {
                ManualClock clock = new ManualClock(1_800_000_000_000L);
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                FleetMonitor monitor = new FleetMonitor(new FleetConfig(3600, 86_400, 3, 60, 0), log, clock, registry);
                String school = "s-" + round;
                monitor.batchStored(batch(school, "co2", 1_000));
                clock.advance(180_000);
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<List<FleetEvent>> check = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return monitor.check().join();
                });
                CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                    await(start);
                    monitor.batchStored(batch(school, "co2", 2_000));
                });
                reading.get(10, TimeUnit.SECONDS);
                check.get(10, TimeUnit.SECONDS);
                monitor.flush().get(10, TimeUnit.SECONDS);
                monitor.close();

                List<FleetEvent> newestFirst = log.query(new FleetEventQuery(school, null, null, 0, Long.MAX_VALUE, 10));
                List<FleetEventType> types = new ArrayList<>();
                for (int i = newestFirst.size() - 1; i >= 0; i--) {
                    types.add(newestFirst.get(i).type());
                }
                assertThat(types).as("round %d", round).isIn(List.of(),
                        List.of(FleetEventType.SENSOR_SILENT, FleetEventType.SENSOR_BACK));
                assertThat(registry.get("hub.fleet.sensors.silent").gauge().value()).as("round %d", round).isZero();
                if (!types.isEmpty()) {
                    silentFirst++;
                }
            }
        }
        System.out.println("check came first in " + silentFirst + " of " + ROUNDS + " rounds");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.smartschool.hub.store.influx;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The InfluxDB store's latency histograms: the same few buckets around the 50 ms PUBACK target as the hub's own. */
final class InfluxTimers {
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private InfluxTimers() {
    }

    static Timer latency(String name, String description, MeterRegistry registry) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS).register(registry);
    }
}

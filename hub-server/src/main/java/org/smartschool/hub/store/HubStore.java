package org.smartschool.hub.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.config.StoreConfig;
import org.smartschool.hub.store.influx.IndexedInfluxStore;
import org.smartschool.hub.store.influx.InfluxTimeSeriesStore;

/**
 * The hub's store: time series in SQLite ({@code store.path}) or InfluxDB ({@code store.kind}), and the
 * hub's own state (batch ids, gateway status) in the state database ({@code state.url}) either way.
 *
 * <p>A batch is written to the time series first and recorded as stored second: a failure between the
 * two leaves points that the gateway's resend overwrites with the same values, never a batch id
 * without its points.
 */
public final class HubStore implements ReadingStore {
    private final TimeSeriesStore series;
    private final HubState state;
    /** Null until {@link #bindMetrics}. */
    private volatile Timer recordTime;

    public HubStore(TimeSeriesStore series, HubState state) {
        this.series = series;
        this.state = state;
    }

    /**
     * Opens the time series {@code config} names, creating what is missing (file, database, retention
     * policies), beside {@code state}. The returned store owns both and closes both.
     */
    public static HubStore open(StoreConfig config, HubState state) {
        TimeSeriesStore series = switch (config.kind()) {
            case StoreConfig.SQLITE -> SqliteTimeSeriesStore.open(Path.of(config.path()));
            // the overview's latest values and rooms from memory, not a last() over every shard
            case StoreConfig.INFLUX -> new IndexedInfluxStore(InfluxTimeSeriesStore.open(config.influx()), Clock.systemUTC());
            default -> throw new IllegalStateException("unknown store kind " + config.kind());
        };
        return new HubStore(series, state);
    }

    public TimeSeriesStore timeSeries() {
        return series;
    }

    @Override
    public BatchOutcome storeBatch(Batch batch) {
        series.write(batch);
        long started = System.nanoTime();
        try {
            return state.recordBatch(batch);
        } finally {
            Timer timer = recordTime;
            if (timer != null) {
                timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public BatchOutcome storeRecordedBatch(Batch batch, BatchOutcome recorded, List<AttendanceCounts> counts) {
        series.write(batch, counts);
        return recorded;
    }

    @Override
    public void writeAttendance(List<AttendanceCounts> counts) {
        if (!counts.isEmpty()) {
            series.writeAttendance(counts);
        }
    }

    @Override
    public void recordHealth(String gatewayId, String school, String healthJson) {
        state.recordHealth(gatewayId, school, healthJson);
    }

    @Override
    public List<StoredReading> readings(ReadingQuery query) {
        return series.readings(query);
    }

    @Override
    public List<SeriesPoint> series(SeriesQuery query) {
        return series.series(query);
    }

    @Override
    public List<DeviceStep> schoolSeries(SchoolSeriesQuery query) {
        return series.schoolSeries(query);
    }

    @Override
    public List<LatestValue> latestValues() {
        return series.latestValues();
    }

    @Override
    public List<RoomRef> rooms() {
        return series.rooms();
    }

    @Override
    public List<DeviceLastSeen> devicesLastSeen(String school) {
        return series.devicesLastSeen(school);
    }

    @Override
    public List<GatewayStatus> gatewayStatuses() {
        return state.gatewayStatuses();
    }

    @Override
    public void ping() {
        state.ping();
        series.ping();
    }

    /** The time series and the hub's state, each on its own, so that {@code /health} names the one that is down. */
    @Override
    public java.util.Map<String, Runnable> healthParts() {
        java.util.Map<String, Runnable> parts = new java.util.LinkedHashMap<>();
        parts.put("timeSeriesStore", series::ping);
        parts.put("hubState", state::ping);
        return parts;
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        series.bindMetrics(registry);
        recordTime = Timer.builder("hub.state.record").description("Recording one stored batch's id in the state database")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                        Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(registry);
    }

    @Override
    public void close() {
        try {
            series.close();
        } finally {
            state.close();
        }
    }

    @Override
    public String toString() {
        return series.toString();
    }
}

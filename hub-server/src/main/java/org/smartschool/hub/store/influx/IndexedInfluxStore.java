package org.smartschool.hub.store.influx;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.DeviceLastSeen;
import org.smartschool.hub.store.DeviceStep;
import org.smartschool.hub.store.EventQuery;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.RoomRef;
import org.smartschool.hub.store.SchoolSeriesQuery;
import org.smartschool.hub.store.SeriesPoint;
import org.smartschool.hub.store.SeriesQuery;
import org.smartschool.hub.store.StoredEvent;
import org.smartschool.hub.store.StoredReading;
import org.smartschool.hub.store.TimeSeriesStore;

/**
 * The InfluxDB store with the overview's two questions, {@link #latestValues()} and {@link #rooms()}, answered from
 * memory: InfluxDB 1.x reads every shard of the retention policy for a {@code last()} without a time range (6.3 s a
 * quantity on 3 million points), a cost paid on every refresh of the overview page.
 *
 * <p>The index takes every batch this hub stores (after InfluxDB accepted it) and is kept in step with what other
 * hub replicas store by bounded queries in the background: every {@link #REFRESH} the readings of the last two
 * refresh periods, every {@link #ROOMS_REFRESH} the series index ({@code SHOW SERIES}, no points read). At start it is
 * seeded in the background from the last {@link #SEED_WINDOW} and the series index, so start-up does not wait. A
 * room whose newest reading is older than the seed window has no latest value after a restart until it reports
 * again (the overview shows it with its room but no values).
 */
public final class IndexedInfluxStore implements TimeSeriesStore {
    private static final Logger LOG = LoggerFactory.getLogger(IndexedInfluxStore.class);
    static final Duration SEED_WINDOW = Duration.ofDays(1);
    static final Duration REFRESH = Duration.ofSeconds(30);
    static final Duration ROOMS_REFRESH = Duration.ofMinutes(5);

    private final InfluxTimeSeriesStore store;
    private final Clock clock;
    private final LatestIndex index = new LatestIndex();
    private final ScheduledExecutorService refresher;

    public IndexedInfluxStore(InfluxTimeSeriesStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-latest-index");
            t.setDaemon(true);
            return t;
        });
        refresher.execute(() -> refresh(SEED_WINDOW, true));
        refresher.scheduleWithFixedDelay(() -> refresh(REFRESH.multipliedBy(2), false), REFRESH.toSeconds(),
                REFRESH.toSeconds(), TimeUnit.SECONDS);
        refresher.scheduleWithFixedDelay(this::refreshRooms, ROOMS_REFRESH.toSeconds(), ROOMS_REFRESH.toSeconds(),
                TimeUnit.SECONDS);
    }

    /** Seeds now and waits (tests and the benchmark; the hub seeds in the background). */
    public void seedNow() {
        refresh(SEED_WINDOW, true);
    }

    private void refresh(Duration window, boolean withRooms) {
        try {
            if (withRooms) {
                store.rooms().forEach(index::addRoom);
            }
            store.latestValuesSince(clock.millis() - window.toMillis()).forEach(index::offer);
        } catch (RuntimeException e) {
            LOG.warn("latest-value index: cannot read from InfluxDB: {}", e.getMessage());
        }
    }

    private void refreshRooms() {
        try {
            store.rooms().forEach(index::addRoom);
        } catch (RuntimeException e) {
            LOG.warn("latest-value index: cannot read the rooms from InfluxDB: {}", e.getMessage());
        }
    }

    @Override
    public void write(Batch batch) {
        store.write(batch);
        index.offer(batch);
    }

    @Override
    public void writeAttendance(List<org.smartschool.hub.attendance.AttendanceCounts> counts) {
        store.writeAttendance(counts);
    }

    @Override
    public List<org.smartschool.hub.attendance.AttendanceCounts> attendance(String school, java.time.LocalDate from,
                                                                           java.time.LocalDate to) {
        return store.attendance(school, from, to);
    }

    @Override
    public List<LatestValue> latestValues() {
        return index.latestValues();
    }

    @Override
    public List<RoomRef> rooms() {
        return index.rooms();
    }

    @Override
    public List<StoredReading> readings(ReadingQuery query) {
        return store.readings(query);
    }

    @Override
    public List<SeriesPoint> series(SeriesQuery query) {
        return store.series(query);
    }

    @Override
    public List<DeviceStep> schoolSeries(SchoolSeriesQuery query) {
        return store.schoolSeries(query);
    }

    @Override
    public List<StoredEvent> events(EventQuery query) {
        return store.events(query);
    }

    @Override
    public List<DeviceLastSeen> devicesLastSeen(String school) {
        return store.devicesLastSeen(school);
    }

    @Override
    public void ping() {
        store.ping();
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        store.bindMetrics(registry);
    }

    /** The store underneath (its write counts, tests). */
    public InfluxTimeSeriesStore store() {
        return store;
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}

package org.smartschool.hub.store;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;

/**
 * A store that hands every call to another one: the base of the wrappers that act on a stored batch's events
 * before the PUBACK (alarm transitions, attendance decisions), which override {@link #storeBatch} and, for
 * their counters, {@link #bindMetrics} (calling this one first).
 */
public abstract class ForwardingReadingStore implements ReadingStore {
    protected final ReadingStore store;

    protected ForwardingReadingStore(ReadingStore store) {
        this.store = store;
    }

    @Override
    public BatchOutcome storeRecordedBatch(Batch batch, BatchOutcome recorded, List<AttendanceCounts> counts) {
        return store.storeRecordedBatch(batch, recorded, counts);
    }

    @Override
    public void writeAttendance(List<AttendanceCounts> counts) {
        store.writeAttendance(counts);
    }

    @Override
    public void recordHealth(String gatewayId, String school, String healthJson) {
        store.recordHealth(gatewayId, school, healthJson);
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
    public List<LatestValue> latestValues() {
        return store.latestValues();
    }

    @Override
    public List<RoomRef> rooms() {
        return store.rooms();
    }

    @Override
    public List<DeviceLastSeen> devicesLastSeen(String school) {
        return store.devicesLastSeen(school);
    }

    @Override
    public List<GatewayStatus> gatewayStatuses() {
        return store.gatewayStatuses();
    }

    @Override
    public void ping() {
        store.ping();
    }

    @Override
    public Map<String, Runnable> healthParts() {
        return store.healthParts();
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        store.bindMetrics(registry);
    }

    @Override
    public void close() {
        store.close();
    }
}

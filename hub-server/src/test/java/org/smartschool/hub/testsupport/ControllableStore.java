package org.smartschool.hub.testsupport;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.DeviceLastSeen;
import org.smartschool.hub.store.BatchOutcome;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.store.LatestValue;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.RoomRef;
import org.smartschool.hub.store.SeriesPoint;
import org.smartschool.hub.store.SeriesQuery;
import org.smartschool.hub.store.StoreException;
import org.smartschool.hub.store.StoredReading;

/**
 * A real store with faults a test switches on: the next batch writes fail, batch writes wait for a
 * gate, or the store stops answering pings.
 */
public final class ControllableStore implements ReadingStore {
    private final ReadingStore delegate;
    private final AtomicInteger failNextBatches = new AtomicInteger();
    private volatile CountDownLatch gate;
    private volatile boolean down;
    private final CountDownLatch batchArrived = new CountDownLatch(1);
    private final AtomicInteger batchesArrived = new AtomicInteger();

    public ControllableStore(ReadingStore delegate) {
        this.delegate = delegate;
    }

    public void failNextBatches(int count) {
        failNextBatches.set(count);
    }

    /** Batch writes wait until {@link #openGate()}. */
    public void closeGate() {
        gate = new CountDownLatch(1);
    }

    public void openGate() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
    }

    public boolean awaitBatchArrived(long millis) throws InterruptedException {
        return batchArrived.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Batch writes that have started (including those waiting at the gate). */
    public int batchesArrived() {
        return batchesArrived.get();
    }

    public void down(boolean down) {
        this.down = down;
    }

    @Override
    public BatchOutcome storeBatch(Batch batch) {
        arrive();
        return delegate.storeBatch(batch);
    }

    @Override
    public BatchOutcome storeRecordedBatch(Batch batch, BatchOutcome recorded,
                                           java.util.List<org.smartschool.hub.attendance.AttendanceCounts> counts) {
        arrive();
        return delegate.storeRecordedBatch(batch, recorded, counts);
    }

    /** Counts the batch, waits at the gate, fails when told to. */
    private void arrive() {
        batchesArrived.incrementAndGet();
        batchArrived.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failNextBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new StoreException("disk I/O error (injected by the test)", null);
        }
    }

    @Override
    public void writeAttendance(java.util.List<org.smartschool.hub.attendance.AttendanceCounts> counts) {
        delegate.writeAttendance(counts);
    }

    @Override
    public void recordHealth(String gatewayId, String school, String healthJson) {
        delegate.recordHealth(gatewayId, school, healthJson);
    }

    @Override
    public List<StoredReading> readings(ReadingQuery query) {
        return delegate.readings(query);
    }

    @Override
    public List<SeriesPoint> series(SeriesQuery query) {
        return delegate.series(query);
    }

    @Override
    public List<org.smartschool.hub.store.DeviceStep> schoolSeries(org.smartschool.hub.store.SchoolSeriesQuery query) {
        return delegate.schoolSeries(query);
    }

    @Override
    public List<LatestValue> latestValues() {
        return delegate.latestValues();
    }

    @Override
    public List<RoomRef> rooms() {
        return delegate.rooms();
    }

    @Override
    public List<DeviceLastSeen> devicesLastSeen(String school) {
        return delegate.devicesLastSeen(school);
    }

    @Override
    public List<GatewayStatus> gatewayStatuses() {
        return delegate.gatewayStatuses();
    }

    @Override
    public void ping() {
        if (down) {
            throw new StoreException("store down (injected by the test)", null);
        }
        delegate.ping();
    }

    /** The delegate's parts; while {@link #down(boolean)}, its time-series part (or its only part) fails. */
    @Override
    public java.util.Map<String, Runnable> healthParts() {
        java.util.Map<String, Runnable> parts = new java.util.LinkedHashMap<>(delegate.healthParts());
        String failing = parts.containsKey("timeSeriesStore") ? "timeSeriesStore" : parts.keySet().iterator().next();
        Runnable real = parts.get(failing);
        parts.put(failing, () -> {
            if (down) {
                throw new StoreException("store down (injected by the test)", null);
            }
            real.run();
        });
        return parts;
    }

    @Override
    public void close() {
        delegate.close();
    }
}

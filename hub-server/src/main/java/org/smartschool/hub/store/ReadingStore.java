package org.smartschool.hub.store;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;

/**
 * The hub's storage of what gateways send, as the endpoint and the API see it: readings and device
 * events (a {@link TimeSeriesStore}: SQLite or InfluxDB), batch ids and gateway status (the hub's
 * {@link HubState}). {@link HubStore} puts the two together.
 *
 * <p>Every method blocks (JDBC, file I/O): callers on an event loop hand the call to a worker thread.
 * Implementations are safe to call from several threads. Failures are {@link StoreException}s.
 */
public interface ReadingStore extends AutoCloseable {

    /**
     * Stores a whole batch in one transaction: when this returns, the batch is durably committed.
     * Storing a batch again is harmless: readings with the same identity are overwritten, events with a
     * known id are kept once.
     *
     * @return {@link BatchOutcome#REPLAYED} when this batch id of this gateway was stored before
     */
    BatchOutcome storeBatch(Batch batch);

    /**
     * The time-series half of {@link #storeBatch} for a batch whose id the attendance ledger has recorded already,
     * in the transaction that took the batch's decisions (one commit of the state database for both): writes the
     * batch and the attendance counts that transaction left, together where the time series can, and answers
     * {@code recorded}, what that record found. When this throws the batch is refused as by {@link #storeBatch};
     * its resend is {@link BatchOutcome#REPLAYED} and its points are written all the same.
     */
    BatchOutcome storeRecordedBatch(Batch batch, BatchOutcome recorded, List<AttendanceCounts> counts);

    /**
     * Records a gateway's latest health report as received (JSON text; may be malformed, callers decide
     * whether to store it) and marks the gateway as seen now.
     */
    void recordHealth(String gatewayId, String school, String healthJson);

    /**
     * Writes attendance counts to the time series ({@link TimeSeriesStore#writeAttendance}): the counts of a
     * group replace what was there.
     */
    void writeAttendance(List<AttendanceCounts> counts);

    /** Readings of one quantity in one room within {@code [from, to)}, oldest first. */
    List<StoredReading> readings(ReadingQuery query);

    /** An aggregated series of one quantity in one room (see {@link SeriesQuery}), computed by the store. */
    List<SeriesPoint> series(SeriesQuery query);

    /** Each device's step means of one quantity in one school (see {@link SchoolSeriesQuery}), computed by the store. */
    List<DeviceStep> schoolSeries(SchoolSeriesQuery query);

    /** The latest value of every (school, room, quantity), ordered by school, room and quantity. */
    List<LatestValue> latestValues();

    /** Every room that has sent a reading or an event, ordered by school and room. */
    List<RoomRef> rooms();

    /** Every device of one school with the time of its newest reading or event, ordered by room and device. */
    List<DeviceLastSeen> devicesLastSeen(String school);

    /** What the hub knows about each gateway that has ever been seen, ordered by gateway id. */
    List<GatewayStatus> gatewayStatuses();

    /** Answers quickly when the store is usable; throws {@link StoreException} otherwise. */
    void ping();

    /**
     * The parts {@code /health} checks one by one, by name, each throwing when its part does not answer. By
     * default the whole store as one part, {@code store}.
     */
    default java.util.Map<String, Runnable> healthParts() {
        return java.util.Map.of("store", this::ping);
    }

    /** Registers the store's own meters (write retries, rejected writes...), when it has any. */
    default void bindMetrics(MeterRegistry registry) {
    }

    @Override
    void close();
}

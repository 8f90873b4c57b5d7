package org.smartschool.hub.store;

import java.util.List;

import java.time.LocalDate;

import io.micrometer.core.instrument.MeterRegistry;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;

/**
 * Where readings and device events are kept as time series: the embedded SQLite file or InfluxDB
 * ({@code docs/storage.md}). Both give the same answers; one contract test suite runs against both.
 *
 * <p>Every method blocks (JDBC, HTTP): callers on an event loop hand the call to a worker thread.
 * Implementations are safe to call from several threads at once. Failures are {@link StoreException}s.
 */
public interface TimeSeriesStore extends AutoCloseable {

    /**
     * Writes a batch's readings and events. When this returns, every point is durably stored; when it
     * throws, the caller must not acknowledge the batch. Writing a batch again is harmless: a reading
     * with the same identity (school, room, device, quantity, time) or an event with the same identity
     * is overwritten with the same value, never duplicated.
     *
     * <p>Privacy (DESIGN.md invariant 6): personal attributes ({@code PersonalData.isPersonal}: card uids, card
     * hashes, learner ids) are dropped, and {@code attendance} events are not stored at all: the hub keeps
     * their counts ({@link #writeAttendance}) instead.
     */
    void write(Batch batch);

    /**
     * Writes attendance counts (docs/storage.md, {@code attendance}): each replaces what the store held for
     * its group (school, date, class, session, period), so writing the same counts again changes nothing.
     */
    void writeAttendance(List<AttendanceCounts> counts);

    /** {@link #write(Batch)} and {@link #writeAttendance}, in one transaction where the store has them (SQLite). */
    default void write(Batch batch, List<AttendanceCounts> counts) {
        write(batch);
        if (!counts.isEmpty()) {
            writeAttendance(counts);
        }
    }

    /** The attendance counts of one school from {@code from} to {@code to} (both included), by date, class, session, period. */
    List<AttendanceCounts> attendance(String school, LocalDate from, LocalDate to);

    /** Readings of one quantity in one room within {@code [from, to)}, oldest first (then by device). */
    List<StoredReading> readings(ReadingQuery query);

    /** The aggregated series, computed by the store (SQL, InfluxQL), oldest step first. */
    List<SeriesPoint> series(SeriesQuery query);

    /**
     * The mean of each device's readings of one quantity per step, for every room of one school, ordered by room,
     * device and step; steps without readings are left out.
     */
    List<DeviceStep> schoolSeries(SchoolSeriesQuery query);

    /** Events of one room within {@code [from, to)}, oldest first (then by device and type). */
    List<StoredEvent> events(EventQuery query);

    /** The latest value of every (school, room, quantity), ordered by school, room and quantity. */
    List<LatestValue> latestValues();

    /** Every room that has sent a reading or an event, ordered by school and room. */
    List<RoomRef> rooms();

    /**
     * Every device of one school that has sent a reading or an event, with the source time of its newest
     * one, ordered by room and device; empty for a school the store has nothing of. Computed in the store
     * (SQL, InfluxQL), not by reading the series into the hub.
     */
    List<DeviceLastSeen> devicesLastSeen(String school);

    /** Answers quickly when the store is usable; throws {@link StoreException} otherwise. */
    void ping();

    /** Registers the store's own meters (write retries, rejected writes...), when it has any. */
    default void bindMetrics(MeterRegistry registry) {
    }

    @Override
    void close();
}

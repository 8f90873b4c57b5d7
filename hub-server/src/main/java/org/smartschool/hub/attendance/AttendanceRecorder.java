package org.smartschool.hub.attendance;

import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.BatchOutcome;

/**
 * Where every attendance event goes, from a gateway's batch or the API (a teacher's correction): the ledger
 * takes it (forwarding and counts in one transaction), then the counts of its group go to the time series.
 * A replay changes nothing in the ledger and writes the same counts again, which also repairs a time series
 * that missed the first write. Blocking: call it off the event loop.
 */
public final class AttendanceRecorder implements AttendanceSink {
    private final AttendanceLedger ledger;
    private final Consumer<List<AttendanceCounts>> timeSeries;
    private Counter recorded;
    private Counter replayed;

    /** @param timeSeries writes counts to the time-series store ({@code ReadingStore::writeAttendance}) */
    public AttendanceRecorder(AttendanceLedger ledger, Consumer<List<AttendanceCounts>> timeSeries) {
        this.ledger = ledger;
        this.timeSeries = timeSeries;
    }

    @Override
    public void accept(AttendanceEvent event) {
        acceptAll(List.of(event));
    }

    /** Takes the events in one transaction, then writes the counts of their groups to the time series. */
    public void acceptAll(List<AttendanceEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        writeCounts(take(events));
    }

    /**
     * The ledger's half of {@link #acceptAll}: takes the events (forwarding included) in one transaction. Their
     * counts still have to go to the time series ({@link #writeCounts}); if that never happens, the counts are
     * behind until the same events are taken again (a gateway's resend) or their groups' next decision.
     */
    public Taken take(List<AttendanceEvent> events) {
        return take(events, null);
    }

    /**
     * As {@link #take(List)}, with the id of the batch the events came in recorded in the same transaction
     * ({@link AttendanceLedger#record(List, Batch)}; {@link Taken#batch()} says whether it was new).
     */
    public Taken take(List<AttendanceEvent> events, Batch batch) {
        AttendanceLedger.Recorded result = ledger.record(events, batch);
        if (recorded != null) {
            recorded.increment(result.newEvents());
            replayed.increment(result.replays());
        }
        return new Taken(result.counts(), result.batch());
    }

    /** The time series' half of {@link #acceptAll}. */
    public void writeCounts(Taken taken) {
        timeSeries.accept(taken.counts());
    }

    /**
     * Events taken by the ledger whose groups' counts are still to be written to the time series, and whether the
     * id of their batch was new (null when none was given).
     */
    public record Taken(List<AttendanceCounts> counts, BatchOutcome batch) {
    }

    public AttendanceLedger ledger() {
        return ledger;
    }

    public void bindMetrics(MeterRegistry registry) {
        recorded = Counter.builder("hub.attendance.events").tag("result", "recorded")
                .description("attendance events taken (forwarded and counted)").register(registry);
        replayed = Counter.builder("hub.attendance.events").tag("result", "replayed")
                .description("attendance events taken before (same id): nothing changed").register(registry);
    }
}

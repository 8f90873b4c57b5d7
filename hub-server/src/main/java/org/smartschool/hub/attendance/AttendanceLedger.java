package org.smartschool.hub.attendance;

import java.time.LocalDate;
import java.util.List;

import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.store.BatchOutcome;

/**
 * What the hub keeps of attendance (its state database): each event taken once, the newest decision of each
 * slot ({@link AttendanceEvent#slot()}), the counts per class and session, and the attendance events of
 * batches that could not be read. Blocking (JDBC): call it off the event loop. Thread-safe.
 */
public interface AttendanceLedger {

    /**
     * Takes the events in one transaction: each event id not seen before is queued for forwarding (webhooks,
     * Ed-Fi) and, when it is the newest decision of its slot, moves its slot's count from the old category to
     * the new one. An id seen before (a replay) changes nothing.
     *
     * @return the current counts of every group the events are of (also of replays', so that a time series
     *         that missed a write gets it again), and how many events were new
     */
    default Recorded record(List<AttendanceEvent> events) {
        return record(events, null);
    }

    /**
     * As {@link #record(List)}, and records {@code batch}'s id in the same transaction as the hub's state does for
     * a stored batch ({@code HubState.recordBatch}): one commit of the state database for the decisions and the
     * batch. {@link Recorded#batch()} then says whether the id was new.
     *
     * @param batch the batch the events came in, or null (the API's events)
     */
    Recorded record(List<AttendanceEvent> events, Batch batch);

    /** Keeps an attendance event that could not be read; the same (gateway, batch, event id) is kept once. */
    void deadLetter(AttendanceDeadLetter letter);

    /** The counts of one school day, by class, session and period. */
    List<AttendanceCounts> counts(String school, LocalDate date);

    /** The newest decision of every slot of one school day (personal data), by class, session, period, learner. */
    List<AttendanceEvent> records(String school, LocalDate date);

    /** One learner's newest decision of every slot from {@code from} to {@code to} (both included), oldest first. */
    List<AttendanceEvent> history(String school, String learnerId, LocalDate from, LocalDate to);

    /** Per school and day from {@code from} to {@code to}, the slots of each category, by school and date. */
    List<DailyAttendance> daily(LocalDate from, LocalDate to);

    /** Whether the school has any attendance recorded. */
    boolean hasSchool(String school);

    /** The newest dead letters of one school first, at most {@code limit}. */
    List<AttendanceDeadLetter> deadLetters(String school, int limit);

    /**
     * @param counts    the current counts of each group the events were of
     * @param newEvents how many event ids were taken for the first time
     * @param replays   how many were seen before
     * @param batch     whether the batch's id was new ({@link BatchOutcome#STORED}); null when no batch was given
     */
    record Recorded(List<AttendanceCounts> counts, int newEvents, int replays, BatchOutcome batch) {
        public Recorded(List<AttendanceCounts> counts, int newEvents, int replays) {
            this(counts, newEvents, replays, null);
        }
    }
}

package org.smartschool.hub.state;

import java.time.Clock;
import java.util.function.Predicate;

import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.attendance.AttendanceSink;
import org.smartschool.hub.forward.AttendanceEvents;

/**
 * Takes attendance events for forwarding: in one transaction of the state database, a webhook delivery
 * for each subscription that wants {@code attendance.recorded} of the school and, when Ed-Fi serves the
 * school, an Ed-Fi delivery. A crash loses none of them; a replayed event id queues nothing new.
 */
public final class JdbcAttendanceOutbox implements AttendanceSink {
    private final Jdbc jdbc;
    private final Predicate<String> edfiSchools;
    private final Clock clock;
    private final Runnable wake;

    /**
     * @param edfiSchools whether a school's events go to Ed-Fi ({@code EdfiMapping::covers}; never when it is off)
     * @param wake        called after each event is queued: the dispatchers look at once
     */
    public JdbcAttendanceOutbox(StateDatabase db, Predicate<String> edfiSchools, Clock clock, Runnable wake) {
        this.jdbc = new Jdbc(db);
        this.edfiSchools = edfiSchools;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public void accept(AttendanceEvent event) {
        long now = clock.millis();
        jdbc.write(c -> {
            queue(c, event, now, edfiSchools);
            return null;
        });
        wake.run();
    }

    /** Queues the event for the webhooks that want it and, when Ed-Fi serves its school, for Ed-Fi, in {@code c}'s transaction. */
    static void queue(java.sql.Connection c, AttendanceEvent event, long now, Predicate<String> edfiSchools)
            throws java.sql.SQLException {
        try (TransactionStatements st = new TransactionStatements(c)) {
            queue(c, new JdbcWebhookStore.Queueing(st, false), event, now, edfiSchools);
        }
    }

    /** As {@link #queue(java.sql.Connection, AttendanceEvent, long, Predicate)}, the webhooks through the transaction's queueing. */
    static void queue(java.sql.Connection c, JdbcWebhookStore.Queueing webhooks, AttendanceEvent event, long now,
                      Predicate<String> edfiSchools) throws java.sql.SQLException {
        String body = AttendanceEvents.body(event);
        webhooks.enqueue(event.school(), event.learnerId(), AttendanceEvents.TYPE, null, event.eventId(), body, now);
        if (edfiSchools.test(event.school())) {
            JdbcEdfiStore.enqueue(c, event, body, now);
        }
    }
}

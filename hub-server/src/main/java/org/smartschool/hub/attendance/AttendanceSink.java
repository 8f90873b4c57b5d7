package org.smartschool.hub.attendance;

/**
 * Where attendance events go to be forwarded (webhooks and Ed-Fi): the entry point of issue 9's
 * producers. {@link #accept} returns once the event is durably queued; blocking, so call it off the
 * event loop. A replay of an event already queued (same id) is taken and ignored.
 */
@FunctionalInterface
public interface AttendanceSink {

    /** Queues the event for every webhook subscription that wants it and, for a school it serves, for Ed-Fi. */
    void accept(AttendanceEvent event);
}

package org.smartschool.hub.fleet;

import java.util.List;

/**
 * The durable record of fleet events. Every method blocks (JDBC): callers on an event loop hand the call to a
 * worker. Implementations are safe to call from several threads.
 */
public interface FleetEventLog extends AutoCloseable {

    /** Appends one event; when this returns it is durable. */
    void record(FleetEvent event);

    /**
     * Events within {@code [fromMillis, toMillis)}, oldest first, at most {@code limit}.
     *
     * @param gateway only this gateway's, or every gateway's when null
     */
    List<FleetEvent> events(String gateway, long fromMillis, long toMillis, int limit);

    /** The events {@code query} selects, newest first (recording order breaks ties). */
    List<FleetEvent> query(FleetEventQuery query);

    @Override
    void close();
}

package org.smartschool.hub.fleet;

import java.util.List;

/**
 * A fleet event log that hands every call to another one: the base of the wrappers that act on an event once it
 * is recorded (its alarm, its live update), which override {@link #record} (recording through this one first).
 */
public abstract class ForwardingFleetEventLog implements FleetEventLog {
    protected final FleetEventLog log;

    protected ForwardingFleetEventLog(FleetEventLog log) {
        this.log = log;
    }

    @Override
    public void record(FleetEvent event) {
        log.record(event);
    }

    @Override
    public List<FleetEvent> events(String gateway, long fromMillis, long toMillis, int limit) {
        return log.events(gateway, fromMillis, toMillis, limit);
    }

    @Override
    public List<FleetEvent> query(FleetEventQuery query) {
        return log.query(query);
    }

    @Override
    public void close() {
        log.close();
    }
}

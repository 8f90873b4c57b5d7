package org.smartschool.hub.live;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventQuery;
import org.smartschool.hub.fleet.FleetEventType;

/** The fleet event log, which also publishes a gateway's changes of liveness once they are recorded. */
public final class LiveFleetEventLog implements FleetEventLog {
    /** What the console's gateway health shows; sensor events reach it as alarms. */
    private static final Set<FleetEventType> PUBLISHED = EnumSet.of(FleetEventType.GATEWAY_ONLINE,
            FleetEventType.GATEWAY_OFFLINE, FleetEventType.GATEWAY_SILENT, FleetEventType.GATEWAY_BACK);

    private final FleetEventLog log;
    private final LiveEvents events;

    public LiveFleetEventLog(FleetEventLog log, LiveEvents events) {
        this.log = log;
        this.events = events;
    }

    @Override
    public void record(FleetEvent event) {
        log.record(event);
        if (PUBLISHED.contains(event.type())) {
            events.publish(new LiveEvent.GatewayChanged(event));
        }
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

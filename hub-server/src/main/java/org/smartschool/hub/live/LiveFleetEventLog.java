package org.smartschool.hub.live;

import java.util.EnumSet;
import java.util.Set;

import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventType;
import org.smartschool.hub.fleet.ForwardingFleetEventLog;

/** The fleet event log, which also publishes a gateway's changes of liveness once they are recorded. */
public final class LiveFleetEventLog extends ForwardingFleetEventLog {
    /** What the console's gateway health shows; sensor events reach it as alarms. */
    private static final Set<FleetEventType> PUBLISHED = EnumSet.of(FleetEventType.GATEWAY_ONLINE,
            FleetEventType.GATEWAY_OFFLINE, FleetEventType.GATEWAY_SILENT, FleetEventType.GATEWAY_BACK);

    private final LiveEvents events;

    public LiveFleetEventLog(FleetEventLog log, LiveEvents events) {
        super(log);
        this.events = events;
    }

    @Override
    public void record(FleetEvent event) {
        super.record(event);
        if (PUBLISHED.contains(event.type())) {
            events.publish(new LiveEvent.GatewayChanged(event));
        }
    }
}

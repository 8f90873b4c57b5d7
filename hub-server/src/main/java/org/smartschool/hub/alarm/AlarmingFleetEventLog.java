package org.smartschool.hub.alarm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.ForwardingFleetEventLog;

/**
 * The fleet event log, which also turns each event into the alarm transition the hub's fleet rules
 * make of it ({@link FleetAlarms}). The event is recorded first; an alarm that cannot be stored is
 * logged and does not undo the event.
 */
public final class AlarmingFleetEventLog extends ForwardingFleetEventLog {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmingFleetEventLog.class);

    private final AlarmStore alarms;

    public AlarmingFleetEventLog(FleetEventLog log, AlarmStore alarms) {
        super(log);
        this.alarms = alarms;
    }

    @Override
    public void record(FleetEvent event) {
        super.record(event);
        try {
            FleetAlarms.transition(event, alarms::open).ifPresent(alarms::apply);
        } catch (RuntimeException e) {
            LOG.warn("[gateway: {}] fleet event {} recorded, but its alarm could not be stored: {}", event.gateway(),
                    event.type().label(), e.toString());
        }
    }
}

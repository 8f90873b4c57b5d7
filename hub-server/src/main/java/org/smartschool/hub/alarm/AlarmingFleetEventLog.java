package org.smartschool.hub.alarm;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventQuery;

/**
 * The fleet event log, which also turns each event into the alarm transition the hub's fleet rules
 * make of it ({@link FleetAlarms}). The event is recorded first; an alarm that cannot be stored is
 * logged and does not undo the event.
 */
public final class AlarmingFleetEventLog implements FleetEventLog {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmingFleetEventLog.class);

    private final FleetEventLog log;
    private final AlarmStore alarms;

    public AlarmingFleetEventLog(FleetEventLog log, AlarmStore alarms) {
        this.log = log;
        this.alarms = alarms;
    }

    @Override
    public void record(FleetEvent event) {
        log.record(event);
        try {
            FleetAlarms.transition(event, alarms::open).ifPresent(alarms::apply);
        } catch (RuntimeException e) {
            LOG.warn("[gateway: {}] fleet event {} recorded, but its alarm could not be stored: {}", event.gateway(),
                    event.type().label(), e.toString());
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

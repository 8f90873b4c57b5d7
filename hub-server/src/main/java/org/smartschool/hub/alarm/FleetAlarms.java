package org.smartschool.hub.alarm;

import java.util.Optional;

import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.fleet.FleetEvent;

/**
 * The hub's own rules on what only the centre can see, from the fleet events: a gateway gone silent
 * (raised at {@code gateway_silent}, cleared at {@code gateway_back}), a sensor gone silent (likewise
 * with {@code sensor_silent} and {@code sensor_back}), and one gateway id used by two devices
 * ({@code takeover_loop}: stays until somebody acknowledges it). The fleet monitor orders a silence
 * and its end, also when a reading arrives at the moment the silence is noticed, so these alarms
 * always clear.
 *
 * <p>A gateway's alarms have the room {@value #GATEWAY_ROOM} and the gateway's id as device.
 */
public final class FleetAlarms {
    public static final String GATEWAY_ROOM = "gateway";
    public static final String GATEWAY_SILENT = "gateway-silent";
    public static final String SENSOR_SILENT = "sensor-silent";
    public static final String GATEWAY_ID_SHARED = "gateway-id-shared";

    /** Finds the open alarm a "back" event ends. */
    public interface OpenAlarms {
        Optional<AlarmRecord> open(String school, String room, String device, String rule);
    }

    private FleetAlarms() {
    }

    /** The alarm transition a fleet event makes, if any. */
    public static Optional<AlarmTransition> transition(FleetEvent e, OpenAlarms open) {
        return switch (e.type()) {
            case GATEWAY_SILENT -> raise(e, GATEWAY_ROOM, e.gateway(), GATEWAY_SILENT, Severity.MAJOR,
                    "gateway " + e.gateway() + " silent: " + e.detail());
            case GATEWAY_BACK -> clear(e, GATEWAY_ROOM, e.gateway(), GATEWAY_SILENT, open, "gateway " + e.gateway() + " back");
            case SENSOR_SILENT -> e.room() == null || e.device() == null ? Optional.empty()
                    : raise(e, e.room(), e.device(), SENSOR_SILENT, Severity.MINOR, e.detail());
            case SENSOR_BACK -> e.room() == null || e.device() == null ? Optional.empty()
                    : clear(e, e.room(), e.device(), SENSOR_SILENT, open, "readings again");
            case TAKEOVER_LOOP -> raise(e, GATEWAY_ROOM, e.gateway(), GATEWAY_ID_SHARED, Severity.MAJOR,
                    "two devices connect as gateway " + e.gateway() + ": " + e.detail());
            default -> Optional.empty();
        };
    }

    private static Optional<AlarmTransition> raise(FleetEvent e, String room, String device, String rule,
                                                   Severity severity, String detail) {
        String id = AlarmId.of(e.school(), room + "/" + device, rule, e.time());
        return Optional.of(new AlarmTransition(id, e.school(), room, device, rule, Kind.RAISED, severity, e.time(),
                e.time(), Double.NaN, detail));
    }

    private static Optional<AlarmTransition> clear(FleetEvent e, String room, String device, String rule,
                                                   OpenAlarms open, String detail) {
        return open.open(e.school(), room, device, rule).map(a -> new AlarmTransition(a.id(), e.school(), room, device, rule,
                Kind.CLEARED, a.severity(), a.raisedAt(), Math.max(e.time(), a.raisedAt()), Double.NaN, detail));
    }
}

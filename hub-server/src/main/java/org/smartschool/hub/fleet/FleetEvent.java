package org.smartschool.hub.fleet;

import java.util.Objects;

/**
 * Something that happened to a gateway of the fleet or to one of its sensors, with its time and cause:
 * queryable later by operators and, in a later issue, by the alarms.
 *
 * @param time    UTC epoch milliseconds (hub clock)
 * @param cause   why, for {@link FleetEventType#GATEWAY_OFFLINE} (an {@link OfflineCause} label); null otherwise
 * @param room    the device's room, for sensor events; null otherwise
 * @param device  the device, for sensor events; null otherwise
 * @param detail  one line for people; built with {@code SafeText} where it quotes outside text
 */
public record FleetEvent(long time, String gateway, String school, FleetEventType type, String cause, String room,
                         String device, String detail) {
    public FleetEvent {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(school, "school");
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
    }

    /** A gateway event without cause, room or device. */
    public FleetEvent(long time, String gateway, String school, FleetEventType type, String detail) {
        this(time, gateway, school, type, null, null, null, detail);
    }
}

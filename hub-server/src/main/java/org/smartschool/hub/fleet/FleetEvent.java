package org.smartschool.hub.fleet;

import java.util.Objects;

/**
 * Something that happened to a gateway of the fleet, with its time and cause: queryable later by operators
 * and, in a later issue, by the alarms.
 *
 * @param time    UTC epoch milliseconds
 * @param detail  one line for people; built with {@code SafeText} where it quotes outside text
 */
public record FleetEvent(long time, String gateway, String school, FleetEventType type, String detail) {
    public FleetEvent {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(school, "school");
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
    }
}

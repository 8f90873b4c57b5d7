package org.smartschool.hub.store;

import java.util.Optional;

/**
 * The kind of a room (classroom, lab, library...) where the hub knows it, for the time series'
 * {@code room_kind} tag. A room's kind must not change while its gateway may still resend older
 * batches: a point written under another tag set is another point (docs/storage.md).
 */
@FunctionalInterface
public interface RoomKinds {
    /** Knows no room: points carry no {@code room_kind} tag. */
    RoomKinds NONE = (school, room) -> Optional.empty();

    Optional<String> kindOf(String school, String room);
}

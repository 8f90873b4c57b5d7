package org.smartschool.hub.store;

/** A room of a school that has reported something. */
public record RoomRef(String school, String room) {
}

package org.smartschool.hub.store;

import org.smartschool.bridge.model.Ids;

/** The events of one room in {@code [fromMillis, toMillis)}, oldest first, at most {@code limit}. */
public record EventQuery(String school, String room, long fromMillis, long toMillis, int limit) {
    public EventQuery {
        Ids.require("school", school);
        Ids.require("room", room);
        if (fromMillis > toMillis) {
            throw new IllegalArgumentException("window starts (" + fromMillis + ") after it ends (" + toMillis + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }
}

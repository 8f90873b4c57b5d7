package org.smartschool.hub.store;

import java.util.Objects;
import java.util.Optional;

import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Quantity;

/**
 * Which readings to return: one quantity in one room, optionally of one device, in the half-open
 * window {@code [fromMillis, toMillis)} (from inclusive, to exclusive, UTC epoch milliseconds),
 * at most {@code limit} of them, oldest first.
 */
public record ReadingQuery(String school, String room, Quantity quantity, Optional<String> device,
                           long fromMillis, long toMillis, int limit) {

    public ReadingQuery {
        Ids.require("school", school);
        Ids.require("room", room);
        Objects.requireNonNull(quantity, "quantity");
        device = Objects.requireNonNullElse(device, Optional.empty());
        device.ifPresent(d -> Ids.require("device", d));
        if (fromMillis > toMillis) {
            throw new IllegalArgumentException("window starts (" + fromMillis + ") after it ends (" + toMillis + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }
}

package org.smartschool.hub.store;

import org.smartschool.bridge.model.EventType;

/**
 * A device event as the time-series store keeps it: what happened where and when, without its
 * attributes (they may hold personal data, which stays out of the time-series store).
 */
public record StoredEvent(String id, String device, EventType type, long timestamp) {
}

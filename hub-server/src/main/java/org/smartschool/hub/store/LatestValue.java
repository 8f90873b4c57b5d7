package org.smartschool.hub.store;

import org.smartschool.bridge.model.Quantity;

/** The newest value of one quantity in one room, and which device reported it when. */
public record LatestValue(String school, String room, Quantity quantity, String device, double value, long timestamp) {
}

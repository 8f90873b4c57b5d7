package org.smartschool.gateway.rules;

import java.util.List;
import java.util.Set;

import org.smartschool.bridge.codec.quantity.Glob;
import org.smartschool.bridge.model.Quantity;

/**
 * A school rule on one quantity: one alarm per sensor series, whose severity is the highest of
 * the levels active at the moment.
 *
 * @param id stable name, part of the alarm id (e.g. {@code co2}, {@code lab-fridge})
 * @param roomKinds room kinds it applies to; empty for every room
 * @param devices a device id glob ({@code *} any run of characters, {@code ?} one, ignoring case), {@code *} for all
 * @param exceptDevices a device id glob left out (a lab fridge is no classroom thermometer), or null
 * @param lessonsOnly judged only during lesson hours (e.g. light); outside them the alarm clears
 */
public record Rule(String id, Quantity quantity, Set<String> roomKinds, String devices, String exceptDevices,
                   boolean lessonsOnly, List<RuleLevel> levels) {

    public Rule {
        if (id == null || !id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("rule id '" + id + "' must be 1-64 of a-z, 0-9, '.', '_', '-'");
        }
        if (quantity == null) {
            throw new IllegalArgumentException("rule " + id + " has no quantity");
        }
        if (levels == null || levels.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " has no level");
        }
        roomKinds = Set.copyOf(roomKinds == null ? Set.of() : roomKinds);
        devices = devices == null || devices.isBlank() ? "*" : devices;
        exceptDevices = exceptDevices == null || exceptDevices.isBlank() ? null : exceptDevices;
        levels = List.copyOf(levels);
    }

    public boolean appliesTo(String roomKind, String device) {
        return (roomKinds.isEmpty() || roomKinds.contains(roomKind)) && new Glob(devices).matches(device)
                && (exceptDevices == null || !new Glob(exceptDevices).matches(device));
    }

    /** Whether a level of this rule is judged by the clock ({@link Condition.Silent}). */
    public boolean watchesSilence() {
        return levels.stream().anyMatch(l -> l.condition() instanceof Condition.Silent);
    }
}

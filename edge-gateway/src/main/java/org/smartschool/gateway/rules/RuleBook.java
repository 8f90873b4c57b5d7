package org.smartschool.gateway.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.smartschool.bridge.model.Quantity;

/**
 * Which rules judge which sensor series of one school: the school's rules (the district defaults
 * with the school's own by id), then what the school changed for a room kind, then for a room.
 * Resolved once per series and remembered, so a reading finds its rules in one map lookup.
 */
public final class RuleBook {
    private final List<Rule> rules;
    private final Map<String, String> roomKinds;
    private final List<RuleOverride> overrides;
    private final Map<String, List<Rule>> resolved = new HashMap<>();

    /**
     * @param roomKinds room id -> kind ({@code classroom}, {@code lab}, ...); a room not listed has no kind
     */
    public RuleBook(List<Rule> rules, Map<String, String> roomKinds, List<RuleOverride> overrides) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule rule : rules) {
            if (byId.put(rule.id(), rule) != null) {
                throw new IllegalArgumentException("rule id '" + rule.id() + "' is used twice");
            }
        }
        this.rules = List.copyOf(byId.values());
        this.roomKinds = Map.copyOf(roomKinds);
        this.overrides = List.copyOf(overrides);
    }

    /** The built-in defaults of DESIGN.md for every room. */
    public static RuleBook defaults(Map<String, String> roomKinds) {
        return new RuleBook(DefaultRules.all(), roomKinds, List.of());
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The quantity a rule id judges, among the rules and the overrides' replacements. */
    Optional<Quantity> quantityOf(String ruleId) {
        for (Rule rule : rules) {
            if (rule.id().equals(ruleId)) {
                return Optional.of(rule.quantity());
            }
        }
        for (RuleOverride o : overrides) {
            if (!o.disables() && o.ruleId().equals(ruleId)) {
                return Optional.of(o.replacement().quantity());
            }
        }
        return Optional.empty();
    }

    public String roomKind(String room) {
        return roomKinds.getOrDefault(room, "");
    }

    /** The rules that judge this device's readings of this quantity in this room. */
    public List<Rule> rulesFor(String room, String device, Quantity quantity) {
        return resolved.computeIfAbsent(room + '\n' + device + '\n' + quantity.id(), k -> resolve(room, device, quantity));
    }

    private List<Rule> resolve(String room, String device, Quantity quantity) {
        String kind = roomKind(room);
        Map<String, Rule> chosen = new LinkedHashMap<>();
        for (Rule rule : rules) {
            chosen.put(rule.id(), rule);
        }
        // a room kind's overrides first, then the room's own, so the room has the last word
        for (boolean forRoom : new boolean[] {false, true}) {
            for (RuleOverride o : overrides) {
                boolean applies = forRoom ? room.equals(o.room()) : o.roomKind() != null && o.roomKind().equals(kind);
                if (applies) {
                    if (o.disables()) {
                        chosen.remove(o.ruleId());
                    } else {
                        chosen.put(o.ruleId(), o.replacement());
                    }
                }
            }
        }
        List<Rule> result = new ArrayList<>();
        for (Rule rule : chosen.values()) {
            if (rule.quantity() == quantity && rule.appliesTo(kind, device)) {
                result.add(rule);
            }
        }
        return List.copyOf(result);
    }
}

package org.smartschool.gateway.rules;

/**
 * A school's change to one rule for a room kind or for one room: a replacement rule with the same
 * id, or {@code null} to switch the rule off there. A room's override wins over its kind's.
 *
 * @param roomKind the room kind it applies to, or null
 * @param room the room it applies to, or null; exactly one of the two is given
 */
public record RuleOverride(String roomKind, String room, String ruleId, Rule replacement) {

    public RuleOverride {
        if ((roomKind == null) == (room == null)) {
            throw new IllegalArgumentException("override of rule '" + ruleId + "' needs either a room kind or a room");
        }
        if (ruleId == null || ruleId.isBlank()) {
            throw new IllegalArgumentException("override needs the id of the rule it changes");
        }
        if (replacement != null && !replacement.id().equals(ruleId)) {
            throw new IllegalArgumentException("override of rule '" + ruleId + "' replaces it with rule '"
                    + replacement.id() + "': the ids must match");
        }
    }

    boolean disables() {
        return replacement == null;
    }
}

package org.smartschool.hub.alarm;

/**
 * What a hub rule's alarm is about: a gateway ({@code room} {@value #GATEWAY}, the gateway id as device) or a whole
 * school ({@code room} {@value #SCHOOL}, the school id as device).
 */
public record RuleSource(String school, String room, String device) {
    public static final String GATEWAY = FleetAlarms.GATEWAY_ROOM;
    public static final String SCHOOL = "school";

    static RuleSource gateway(String school, String gateway) {
        return new RuleSource(school, GATEWAY, gateway);
    }

    static RuleSource school(String school) {
        return new RuleSource(school, SCHOOL, school);
    }
}

package org.smartschool.hub.alarm;

/** Where an alarm stands for the people who deal with it; the API's {@code state} filter. */
public enum AlarmStatus {
    /** Raised and nobody has acknowledged it yet. */
    ACTIVE("active"),
    /** Somebody has taken it on; the condition may still hold. */
    ACKNOWLEDGED("acknowledged"),
    /** The condition is over, acknowledged or not. */
    CLEARED("cleared");

    private final String id;

    AlarmStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}

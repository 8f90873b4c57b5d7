package org.smartschool.gateway.attendance;

/** What the gateway decided about one card tap at a door; what the reader shows follows from it. */
public enum TapOutcome {
    PRESENT("present"),
    LATE("late"),
    WRONG_ROOM("wrong_room"),
    UNKNOWN_CARD("unknown_card"),
    REVOKED_CARD("revoked_card"),
    /** the same learner again within the debounce time, or already present or late for the slot */
    DUPLICATE("duplicate"),
    /** no session or period of the learner's now (or no school day) */
    NO_SESSION("no_session");

    private final String id;

    TapOutcome(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}

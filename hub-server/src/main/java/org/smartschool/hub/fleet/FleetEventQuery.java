package org.smartschool.hub.fleet;

/**
 * Which fleet events to read: those within {@code [fromMillis, toMillis)}, newest first, at most {@code limit};
 * a null filter matches everything.
 */
public record FleetEventQuery(String school, String gateway, FleetEventType type, long fromMillis, long toMillis,
                              int limit) {
    public FleetEventQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }
}

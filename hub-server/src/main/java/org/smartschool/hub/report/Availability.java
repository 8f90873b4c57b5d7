package org.smartschool.hub.report;

import java.util.List;

/**
 * The time a gateway or device was online within {@code [from, to)}, from its state changes (fleet events) and
 * when it was last heard from:
 * <ul>
 *   <li>the state at {@code from} is the one its newest change before {@code from} left; with none, the opposite
 *       of its first change within the period (a first "offline" means it was online); with no change at all, online
 *       when it was heard from at or after {@code from}, offline otherwise;</li>
 *   <li>each change switches the state at its time;</li>
 *   <li>a last online stretch ends at {@code lastSeen + grace} when that is before {@code to}: it went quiet without
 *       a change being recorded (the hub's silence check waits that long before it records one).</li>
 * </ul>
 */
public final class Availability {

    /** A state change: at {@code at}, online or not. */
    public record Change(long at, boolean online) {
    }

    private Availability() {
    }

    /**
     * @param before  the state its newest change before {@code from} left, or null with none
     * @param changes the changes within {@code [from, to)}, oldest first
     * @param lastSeen when it was last heard from (UTC epoch ms), or 0 when never
     */
    public static long onlineMillis(Boolean before, List<Change> changes, long lastSeen, long graceMillis, long from,
                                    long to) {
        if (to <= from) {
            return 0;
        }
        boolean online;
        if (before != null) {
            online = before;
        } else if (!changes.isEmpty()) {
            online = !changes.get(0).online();
        } else {
            online = lastSeen >= from;
        }
        long total = 0;
        long since = from;
        for (Change c : changes) {
            long at = Math.min(Math.max(c.at(), from), to);
            if (online) {
                total += at - since;
            }
            online = c.online();
            since = at;
        }
        if (online) {
            long end = to;
            if (lastSeen > 0 && lastSeen + graceMillis < to) {
                end = Math.max(since, lastSeen + graceMillis);
            }
            total += Math.max(0, end - since);
        }
        return total;
    }
}

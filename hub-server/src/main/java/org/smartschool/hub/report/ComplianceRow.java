package org.smartschool.hub.report;

import org.smartschool.bridge.model.Quantity;

/**
 * How long one room kept one quantity within one rule's limit during the month's lesson time.
 *
 * @param room           the room, or {@code *} for a whole school's sum
 * @param limit          the limit, as {@link ComplianceLimit#describe()} wrote it
 * @param lessonMillis   the month's lesson time (what full coverage would be)
 * @param measuredMillis lesson time covered by a step with readings
 * @param withinMillis   of that, the time whose step mean was within the limit
 */
public record ComplianceRow(String room, Quantity quantity, String rule, String limit, long lessonMillis,
                            long measuredMillis, long withinMillis) {

    /** Within the limit among the lesson time measured; NaN when none was measured. */
    public double withinShare() {
        return measuredMillis == 0 ? Double.NaN : (double) withinMillis / measuredMillis;
    }

    /** The lesson time measured among all lesson time; NaN when the month had no lessons. */
    public double coverage() {
        return lessonMillis == 0 ? Double.NaN : (double) measuredMillis / lessonMillis;
    }
}

package org.smartschool.hub.attendance;

/**
 * An attendance event of a stored batch that could not be read as a decision, kept for the operator.
 *
 * @param id             the ledger's number for it (0 before it is kept)
 * @param reason         why, without a learner's id (see {@link PersonalText})
 * @param attributesJson the event's attributes as the gateway sent them: may hold personal data, so they are
 *                       kept in the state database and never shown in the API or a log
 */
public record AttendanceDeadLetter(long id, String school, String gateway, String batchId, String eventId, String reason,
                                   String attributesJson, long receivedAt) {
}

package org.smartschool.hub.forward.edfi;

import org.smartschool.hub.forward.WebhookDelivery;

/**
 * One attendance event on its way to Ed-Fi, kept in the state database until Ed-Fi took it (or it was
 * given up and listed as a dead letter).
 *
 * @param seq     the order of enqueueing: one learner's events at one school go out in this order
 * @param line    school and learner: the events that must keep their order (holds the learner's id)
 * @param body    the event as {@link org.smartschool.hub.forward.AttendanceEvents#body} wrote it
 * @param lastStatus the HTTP status of the last attempt, 0 when it got none (timeout, refused connection)
 */
public record EdfiDelivery(long seq, String eventId, String school, String line, String body, long createdAt,
                           int attempts, long nextAttemptAt, WebhookDelivery.State state, int lastStatus,
                           String lastError) {
}

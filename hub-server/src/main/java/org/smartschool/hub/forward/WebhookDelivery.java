package org.smartschool.hub.forward;

/**
 * One event on its way to one subscription, kept in the state database until the endpoint took it
 * (or it was given up and listed as a dead letter).
 *
 * @param seq the order of enqueueing: events of one school go out to one endpoint in this order
 * @param webhookId the event's id, the same on every attempt
 * @param attempts how many times it was sent so far
 * @param lastStatus the HTTP status of the last attempt, 0 when it got none (timeout, refused connection)
 */
public record WebhookDelivery(long seq, String subscriptionId, String school, String webhookId, String type, String body,
                              long createdAt, int attempts, long nextAttemptAt, State state, int lastStatus,
                              String lastError) {

    public enum State {
        PENDING("pending"), DELIVERED("delivered"), DEAD("dead");

        private final String id;

        State(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static State of(String id) {
            for (State s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown delivery state '" + id + "'");
        }
    }
}

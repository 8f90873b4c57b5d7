package org.smartschool.hub.forward;

/**
 * What became of one claimed delivery, written with the others of the moment in one transaction
 * ({@link WebhookStore#settle}): the dispatcher settles in batches, so 500 deliveries/s do not cost 500
 * write transactions/s on the state database.
 *
 * @param status the HTTP status, 0 when there was none
 * @param at     when it was delivered ({@link Kind#DELIVERED}), or when to try again ({@link Kind#FAILED})
 */
public record WebhookOutcome(long seq, Kind kind, int status, String error, long at) {

    public enum Kind {
        /** The endpoint took it (2xx). */
        DELIVERED,
        /** Tried again at {@code at}. */
        FAILED,
        /** Given up: a dead letter. */
        DEAD,
        /** Not sent: the lease ends now, it is due again at once. */
        RELEASED
    }

    public static WebhookOutcome delivered(long seq, int status, long now) {
        return new WebhookOutcome(seq, Kind.DELIVERED, status, null, now);
    }

    public static WebhookOutcome failed(long seq, int status, String error, long nextAttemptAt, boolean dead) {
        return new WebhookOutcome(seq, dead ? Kind.DEAD : Kind.FAILED, status, error, nextAttemptAt);
    }

    public static WebhookOutcome released(long seq) {
        return new WebhookOutcome(seq, Kind.RELEASED, 0, null, 0);
    }
}

package org.smartschool.hub.forward;

import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Subscriptions and the durable outbox of deliveries, in the state database. Events are enqueued
 * by the store that records them, in the same transaction (an alarm step and its deliveries commit
 * together, so a crash loses neither). Blocking and thread-safe.
 */
public interface WebhookStore {

    void putSubscription(WebhookSubscription subscription);

    Optional<WebhookSubscription> subscription(String id);

    List<WebhookSubscription> subscriptions();

    boolean deleteSubscription(String id);

    /** Switches a subscription off (its pending deliveries wait); {@code reason} says why. */
    void disable(String id, String reason);

    /**
     * Whether {@link #claimDue} would find anything now: a read only, so that an idle poll takes no
     * write transaction (SQLite has one writer, which ingest and the alarm store need).
     */
    boolean anyDue(long now);

    /**
     * The deliveries to send now: for each (subscription, school, line), its oldest pending delivery, if
     * due and not leased; each returned delivery is leased to the caller until {@code leaseUntil}. A line
     * is a school's alarms, or one learner's attendance events (docs/webhooks.md, order).
     */
    default List<WebhookDelivery> claimDue(long now, long leaseUntil, int max) {
        return claimDue(now, leaseUntil, max, subscription -> Integer.MAX_VALUE);
    }

    /**
     * As {@link #claimDue(long, long, int)}, in one transaction, taking at most {@code room} deliveries of a
     * subscription (the dispatcher's free requests for it), so that none is claimed only to be given back.
     */
    List<WebhookDelivery> claimDue(long now, long leaseUntil, int max, ToIntFunction<String> room);

    /** Records the outcomes of claimed deliveries, all in one transaction. */
    void settle(List<WebhookOutcome> outcomes);

    /** {@link #settle} then {@link #claimDue(long, long, int, ToIntFunction)}, in one transaction. */
    List<WebhookDelivery> settleAndClaim(List<WebhookOutcome> outcomes, long now, long leaseUntil, int max,
                                         ToIntFunction<String> room);

    void delivered(long seq, int status, long now);

    /** Gives a claimed delivery back untried (its lease ends now). */
    void release(long seq);

    /** A failed attempt: tried again at {@code nextAttemptAt}, or a dead letter when {@code dead}. */
    void failed(long seq, int status, String error, long nextAttemptAt, boolean dead);

    List<WebhookDelivery> deadLetters(int max);

    /** Puts a dead letter back in line, as a new first attempt; false when there is no such dead letter. */
    boolean redeliver(long seq, long now);

    Optional<WebhookDelivery> delivery(long seq);
}

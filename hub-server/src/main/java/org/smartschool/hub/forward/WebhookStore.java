package org.smartschool.hub.forward;

import java.util.List;
import java.util.Optional;

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
     * The deliveries to send now: for each (subscription, school), its oldest pending delivery, if
     * due and not leased; each returned delivery is leased to the caller until {@code leaseUntil}.
     */
    List<WebhookDelivery> claimDue(long now, long leaseUntil, int max);

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

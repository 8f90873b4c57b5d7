package org.smartschool.hub.forward.edfi;

import java.util.List;
import java.util.Optional;

/**
 * The durable queue of attendance events for Ed-Fi and the resource ids Ed-Fi gave us, in the state
 * database. Events are enqueued with their webhook deliveries, in one transaction. Blocking and thread-safe.
 */
public interface EdfiStore {

    /** Whether {@link #claimDue} would find anything now: a read only, so an idle poll writes nothing. */
    boolean anyDue(long now);

    /**
     * For each line (school, learner), its oldest pending delivery if due and not leased; each returned
     * delivery is leased to the caller until {@code leaseUntil}.
     */
    List<EdfiDelivery> claimDue(long now, long leaseUntil, int max);

    /** The resource Ed-Fi holds for a slot, if one was created. */
    Optional<EdfiResourceRef> resource(String slot);

    /**
     * Whether another slot than {@code slot} still stands on the same Ed-Fi resource (two sessions of
     * one day with the same category are one resource in Ed-Fi, whose key has no session): then it is
     * not deleted.
     */
    boolean sharedWithOtherSlot(String resourceId, String slot);

    /**
     * Ed-Fi took the event: in one transaction, the delivery is done and {@code slot}'s resource becomes
     * {@code now} (null: Ed-Fi named none, the slot's is forgotten).
     */
    void delivered(long seq, int status, long now, String slot, EdfiResourceRef resource);

    /** Gives a claimed delivery back untried (its lease ends now). */
    void release(long seq);

    /** A failed attempt: tried again at {@code nextAttemptAt}, or a dead letter when {@code dead}. */
    void failed(long seq, int status, String error, long nextAttemptAt, boolean dead);

    List<EdfiDelivery> deadLetters(int max);

    /** Puts a dead letter back in line, as a new first attempt; false when there is no such dead letter. */
    boolean redeliver(long seq, long now);

    Optional<EdfiDelivery> delivery(long seq);
}

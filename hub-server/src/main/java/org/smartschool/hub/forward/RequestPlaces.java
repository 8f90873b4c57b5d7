package org.smartschool.hub.forward;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatcher's places for requests: at most {@code perSubscription} under way at one endpoint and
 * {@code maxInFlight} in all; and, per subscription, up to {@code ahead} more deliveries claimed beyond them,
 * waiting here for a place of their own subscription. A request that ends hands its place to the next delivery
 * waiting, at once ({@link #ended}): the claim that leased it, a write transaction on the state database, may
 * have waited long for ingest's commits, and the endpoint need not wait for the next one. Each delivery
 * claimed is a line's head, so waiting here keeps each line's order.
 *
 * <p>A delivery waits at most for the requests ahead of it at its endpoint, {@code ahead / perSubscription}
 * rounds of them, each at most the request timeout: its lease must cover that ({@link #roundsAhead}).
 *
 * @param <T> a claimed delivery, ready to send
 */
final class RequestPlaces<T> {
    private final int perSubscription;
    private final int maxInFlight;
    private final int ahead;
    /** Guarded by this. */
    private final Map<String, Outlet<T>> outlets = new HashMap<>();
    private int running;
    private int claimed;

    private static final class Outlet<T> {
        int running;
        final ArrayDeque<T> waiting = new ArrayDeque<>();

        int claimed() {
            return running + waiting.size();
        }
    }

    /**
     * @param perSubscription requests under way at one endpoint at most
     * @param maxInFlight     requests under way in all at most (the sending threads)
     * @param ahead           deliveries claimed per subscription beyond its requests under way at most
     */
    RequestPlaces(int perSubscription, int maxInFlight, int ahead) {
        if (perSubscription < 1 || maxInFlight < perSubscription || ahead < 0) {
            throw new IllegalArgumentException("places: " + perSubscription + " per subscription, " + maxInFlight
                    + " in all, " + ahead + " ahead");
        }
        this.perSubscription = perSubscription;
        this.maxInFlight = maxInFlight;
        this.ahead = ahead;
    }

    /** How many request timeouts a claimed delivery may wait here at most before its request starts. */
    int roundsAhead() {
        return (ahead + perSubscription - 1) / perSubscription;
    }

    /** How many more deliveries of the subscription a claim may take now. */
    synchronized int room(String subscription) {
        Outlet<T> o = outlets.get(subscription);
        return perSubscription + ahead - (o == null ? 0 : o.claimed());
    }

    /** How many more deliveries a claim may take now, in all: the requests' places and as many waiting. */
    synchronized int free() {
        return 2 * maxInFlight - claimed;
    }

    /** Requests under way now, in all. */
    synchronized int running() {
        return running;
    }

    /**
     * A delivery claimed for the subscription: true when it has a place now (the caller sends it), false when it
     * waits here for one.
     */
    synchronized boolean admit(String subscription, T delivery) {
        Outlet<T> o = outlets.computeIfAbsent(subscription, s -> new Outlet<>());
        claimed++;
        if (o.waiting.isEmpty() && hasPlace(o)) {
            o.running++;
            running++;
            return true;
        }
        o.waiting.addLast(delivery);
        return false;
    }

    /**
     * The request of an admitted delivery ended (or was never made): its place goes to the next delivery waiting
     * for one of the subscription, returned (the caller sends it), or to none (null).
     */
    synchronized T ended(String subscription) {
        Outlet<T> o = outlets.get(subscription);
        o.running--;
        running--;
        claimed--;
        return next(o);
    }

    /**
     * Deliveries waiting whose subscription has a place now, each given its place (the caller sends them): a place
     * freed in all by another subscription's request is taken here.
     */
    synchronized List<T> startable() {
        List<T> out = new ArrayList<>();
        for (Outlet<T> o : outlets.values()) {
            for (T next; (next = next(o)) != null; ) {
                out.add(next);
            }
        }
        return out;
    }

    private T next(Outlet<T> o) {
        if (o.waiting.isEmpty() || !hasPlace(o)) {
            return null;
        }
        o.running++;
        running++;
        return o.waiting.pollFirst();
    }

    private boolean hasPlace(Outlet<T> o) {
        return o.running < perSubscription && running < maxInFlight;
    }
}

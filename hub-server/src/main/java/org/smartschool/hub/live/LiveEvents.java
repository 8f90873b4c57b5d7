package org.smartschool.hub.live;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process publisher of {@link LiveEvent}s. Publishers call {@link #publish} on whatever thread learnt the
 * change (a store worker); each subscriber is called on that thread and must only hand the event on (the event
 * stream queues it for its connection's event loop). A subscriber that throws is logged and kept.
 *
 * <p>One hub process. Replicas behind a load balancer on one PostgreSQL pass each other what they learnt
 * ({@code PostgresLiveRelay}), which arrives here as {@link LiveEvent.Relayed}.
 */
public final class LiveEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    private final List<Consumer<LiveEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** What {@link #subscribe} returns: closing it ends the subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    public Subscription subscribe(Consumer<LiveEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void publish(LiveEvent event) {
        for (Consumer<LiveEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a live event subscriber failed on a {} event of school {}: {}", event.name(), event.school(), e.toString());
            }
        }
    }

    /** How many subscribers there are now (the open event streams). */
    public int subscribers() {
        return subscribers.size();
    }
}

package org.smartschool.hub.forward;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued webhook deliveries: signed at each attempt with the subscription's current secrets,
 * retried by the {@link RetrySchedule}, one at a time per (subscription, school, line) so a school's
 * alarms, and a learner's attendance events, arrive in order. A slow or dead endpoint holds at most
 * {@code perSubscription} requests and its own lines; other endpoints, and ingest (which only writes
 * the queue), go on.
 *
 * <p>One pump thread talks to the state database, in at most two write transactions per round however
 * many deliveries it moves: the outcomes of the requests that finished since the last round (settled
 * together), then a claim of the lines' heads that are due now. Requests finishing meanwhile only queue
 * their outcome and wake the pump once ({@link #wake()} coalesces).
 *
 * <p>A claim takes up to {@value #AHEAD_ROUNDS} times a subscription's requests more than it can send at once
 * ({@link RequestPlaces}): under ingest the pump's transaction waits for the state database's writer, and a round
 * that moved only as many deliveries as the endpoint had free places capped the deliveries at a few hundred a
 * second (tap -> webhook p99 of seconds at 500 attendance decisions/s). The deliveries claimed ahead wait in
 * memory and take the place of each request that ends, at once; their lease covers that wait.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Deliveries claimed per subscription beyond its requests under way: this many times {@code perSubscription}. */
    static final int AHEAD_ROUNDS = 3;

    private final WebhookStore store;
    private final RetrySchedule schedule;
    private final Duration timeout;
    private final Clock clock;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "webhook-pump"));
    /**
     * Each request waits on a thread of its own from this pool (at most {@code maxInFlight}): the client's
     * {@code sendAsync} started a new thread per request for its completion, which under 500 deliveries/s
     * cost more than the requests themselves.
     */
    private final ExecutorService senders;
    private final HttpClient client;
    private final RequestPlaces<Claimed> places;
    /** Outcomes of finished requests, written by the pump's next round. */
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    /** A wake-up is queued on the pump and has not started: further wake-ups add nothing. */
    private final AtomicBoolean woken = new AtomicBoolean();
    private final Counter delivered;
    private final Counter failed;
    private final Counter dead;
    private final Counter disabled;

    public WebhookDispatcher(WebhookStore store, RetrySchedule schedule, Duration timeout, int maxInFlight,
                             int perSubscription, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.schedule = schedule;
        this.timeout = timeout;
        this.places = new RequestPlaces<>(perSubscription, maxInFlight, AHEAD_ROUNDS * perSubscription);
        this.clock = clock;
        this.senders = Executors.newFixedThreadPool(maxInFlight, r -> thread(r, "webhook-send"));
        this.client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.delivered = metrics.counter("hub_webhook_deliveries_total", "outcome", "delivered");
        this.failed = metrics.counter("hub_webhook_deliveries_total", "outcome", "failed");
        this.dead = metrics.counter("hub_webhook_deliveries_total", "outcome", "dead");
        this.disabled = metrics.counter("hub_webhook_subscriptions_disabled_total");
    }

    /** Looks for due deliveries every {@code pollMillis}, and at once after each {@link #wake()}. */
    public void start(long pollMillis) {
        pump.scheduleWithFixedDelay(this::pumpSafely, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Something was queued or finished: look again now rather than at the next poll. */
    public void wake() {
        if (!pump.isShutdown() && woken.compareAndSet(false, true)) {
            try {
                pump.execute(() -> {
                    woken.set(false); // a wake-up from now on needs a round after this one
                    pumpSafely();
                });
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    private void pumpSafely() {
        try {
            pumpOnce();
        } catch (RuntimeException e) {
            LOG.warn("webhook deliveries: cannot read the queue: {}", e.toString());
        }
    }

    private void pumpOnce() {
        List<WebhookOutcome> outcomes = takeFinished();
        // places another subscription's requests freed since: taken by the deliveries waiting for them
        places.startable().forEach(this::send);
        long now = clock.millis();
        int free = places.free();
        if (outcomes.isEmpty() && (free <= 0 || !store.anyDue(now))) {
            return; // the idle path reads only: no write transaction every poll
        }
        // the lease outlasts the wait for a place and the request's timeout, so no other pump (or replica) sends it
        // meanwhile
        long leaseUntil = now + (2 + places.roundsAhead()) * timeout.toMillis() + 1_000;
        ToIntFunction<String> room = places::room;
        List<WebhookDelivery> due;
        try {
            due = outcomes.isEmpty() ? store.claimDue(now, leaseUntil, free, room)
                    : store.settleAndClaim(outcomes, now, leaseUntil, free, room);
        } catch (RuntimeException e) {
            if (!outcomes.isEmpty()) {
                LOG.warn("webhook deliveries: cannot record the outcome of {} requests, they will be sent again: {}",
                        outcomes.size(), e.toString());
            }
            throw e;
        }
        count(outcomes);
        Map<String, Optional<WebhookSubscription>> subscriptions = new HashMap<>();
        List<WebhookOutcome> giveBack = new ArrayList<>();
        for (WebhookDelivery d : due) {
            WebhookSubscription subscription = subscriptions.computeIfAbsent(d.subscriptionId(), store::subscription)
                    .orElse(null);
            if (subscription == null || !subscription.active() || places.room(d.subscriptionId()) <= 0) {
                giveBack.add(WebhookOutcome.released(d.seq()));
                continue;
            }
            Claimed claimed = new Claimed(d, subscription);
            if (places.admit(d.subscriptionId(), claimed)) {
                send(claimed);
            }
        }
        places.startable().forEach(this::send);
        store.settle(giveBack);
    }

    /** A delivery claimed, with its subscription as the claim read it. */
    private record Claimed(WebhookDelivery delivery, WebhookSubscription subscription) {
    }

    /** Sends a delivery that has its place ({@link RequestPlaces}), signed now, on a sending thread. */
    private void send(Claimed claimed) {
        WebhookDelivery d = claimed.delivery();
        WebhookSubscription subscription = claimed.subscription();
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(subscription.url()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "smartschool-hub")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSignature.headers(d.webhookId(), clock.millis() / 1000, body, subscription.secrets()).forEach(request::header);
        HttpRequest built = request.build();
        try {
            senders.execute(() -> {
                int status = 0;
                String error = null;
                try {
                    status = client.send(built, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted: the hub is stopping";
                } catch (IOException | RuntimeException e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                finished.add(new Finished(d, subscription, status, error));
                // the endpoint is done with it: its place goes to the subscription's next delivery claimed, now; this
                // line's next delivery still waits for this one's outcome to be recorded (until then it is the
                // line's head, leased)
                Claimed next = places.ended(d.subscriptionId());
                if (next != null) {
                    send(next);
                }
                wake();
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile: the lease runs out and the delivery is sent again after a restart
            places.ended(d.subscriptionId());
        }
    }

    /** A request that got its answer (or none), waiting for the pump to record it. */
    private record Finished(WebhookDelivery delivery, WebhookSubscription subscription, int status, String error) {
    }

    /**
     * The outcomes of the requests finished since the last round: the next claim may take the next of their
     * lines, in the transaction that records them.
     */
    private List<WebhookOutcome> takeFinished() {
        List<WebhookOutcome> outcomes = new ArrayList<>();
        for (Finished f; (f = finished.poll()) != null; ) {
            try {
                outcomes.add(outcome(f.delivery(), f.subscription(), f.status(), f.error()));
            } catch (RuntimeException e) {
                LOG.warn("[webhook: {}] delivery {}: cannot record the outcome, it will be sent again: {}",
                        f.subscription().id(), f.delivery().seq(), e.toString());
            }
        }
        return outcomes;
    }

    private void count(List<WebhookOutcome> outcomes) {
        for (WebhookOutcome o : outcomes) {
            switch (o.kind()) {
                case DELIVERED -> delivered.increment();
                case FAILED -> failed.increment();
                case DEAD -> dead.increment();
                case RELEASED -> { }
            }
        }
    }

    private WebhookOutcome outcome(WebhookDelivery d, WebhookSubscription subscription, int status, String error) {
        long now = clock.millis();
        if (status >= 200 && status < 300) {
            return WebhookOutcome.delivered(d.seq(), status, now);
        }
        if (status == 410) {
            // the receiver says the endpoint is gone for good: stop, keep what waits, tell the operators
            store.disable(subscription.id(), "the endpoint answered 410 Gone at " + java.time.Instant.ofEpochMilli(now));
            disabled.increment();
            LOG.warn("[webhook: {}] {} answered 410 Gone: subscription disabled", subscription.id(), subscription.url());
            return WebhookOutcome.failed(d.seq(), status, "410 Gone: subscription disabled", now, false);
        }
        String reason = error != null ? error : "HTTP " + status;
        boolean giveUp = schedule.givesUp(d.createdAt(), now);
        long next = now + schedule.waitAfter(d.attempts() + 1, random);
        if (giveUp) {
            LOG.warn("[webhook: {}] event {} given up after {} attempts ({}); listed as a dead letter",
                    subscription.id(), d.webhookId(), d.attempts() + 1, reason);
        } else {
            LOG.debug("[webhook: {}] event {} attempt {} failed ({}); next in {} ms", subscription.id(), d.webhookId(),
                    d.attempts() + 1, reason, next - now);
        }
        return WebhookOutcome.failed(d.seq(), status, reason, next, giveUp);
    }

    @Override
    public void close() {
        pump.shutdownNow();
        senders.shutdownNow();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

package org.smartschool.hub.forward;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued webhook deliveries: signed at each attempt with the subscription's current secrets,
 * retried by the {@link RetrySchedule}, one at a time per (subscription, school) so a school's
 * events arrive in order. A slow or dead endpoint holds at most {@code perSubscription} requests
 * and its own lines; other endpoints, and ingest (which only writes the queue), go on.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookStore store;
    private final RetrySchedule schedule;
    private final Duration timeout;
    private final int maxInFlight;
    private final int perSubscription;
    private final Clock clock;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "webhook-pump"));
    private final ExecutorService completions = Executors.newFixedThreadPool(2, r -> thread(r, "webhook-io"));
    private final HttpClient client;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightBySubscription = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter failed;
    private final Counter dead;
    private final Counter disabled;

    public WebhookDispatcher(WebhookStore store, RetrySchedule schedule, Duration timeout, int maxInFlight,
                             int perSubscription, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.schedule = schedule;
        this.timeout = timeout;
        this.maxInFlight = maxInFlight;
        this.perSubscription = perSubscription;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(completions)
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
        if (!pump.isShutdown()) {
            pump.execute(this::pumpSafely);
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
        int free = maxInFlight - inFlight.get();
        if (free <= 0) {
            return;
        }
        long now = clock.millis();
        if (!store.anyDue(now)) {
            return; // the idle path reads only: no write transaction every poll
        }
        // the lease outlasts the request's timeout, so no other pump (or replica) sends it meanwhile
        List<WebhookDelivery> due = store.claimDue(now, now + 2 * timeout.toMillis() + 1_000, free);
        for (WebhookDelivery d : due) {
            AtomicInteger forSubscription = inFlightBySubscription.computeIfAbsent(d.subscriptionId(), k -> new AtomicInteger());
            if (forSubscription.get() >= perSubscription) {
                store.release(d.seq());
                continue;
            }
            WebhookSubscription subscription = store.subscription(d.subscriptionId()).orElse(null);
            if (subscription == null || !subscription.active()) {
                store.release(d.seq());
                continue;
            }
            forSubscription.incrementAndGet();
            inFlight.incrementAndGet();
            send(d, subscription, forSubscription);
        }
    }

    private void send(WebhookDelivery d, WebhookSubscription subscription, AtomicInteger forSubscription) {
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(subscription.url()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "smartschool-hub")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSignature.headers(d.webhookId(), clock.millis() / 1000, body, subscription.secrets()).forEach(request::header);
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            try {
                settle(d, subscription, response == null ? 0 : response.statusCode(),
                        error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("[webhook: {}] delivery {}: cannot record the outcome, it will be sent again: {}",
                        subscription.id(), d.seq(), e.toString());
            } finally {
                forSubscription.decrementAndGet();
                inFlight.decrementAndGet();
                wake();
            }
        });
    }

    private void settle(WebhookDelivery d, WebhookSubscription subscription, int status, String error) {
        long now = clock.millis();
        if (status >= 200 && status < 300) {
            store.delivered(d.seq(), status, now);
            delivered.increment();
            return;
        }
        if (status == 410) {
            // the receiver says the endpoint is gone for good: stop, keep what waits, tell the operators
            store.disable(subscription.id(), "the endpoint answered 410 Gone at " + java.time.Instant.ofEpochMilli(now));
            store.failed(d.seq(), status, "410 Gone: subscription disabled", now, false);
            disabled.increment();
            LOG.warn("[webhook: {}] {} answered 410 Gone: subscription disabled", subscription.id(), subscription.url());
            return;
        }
        String reason = error != null ? error : "HTTP " + status;
        boolean giveUp = schedule.givesUp(d.createdAt(), now);
        long next = now + schedule.waitAfter(d.attempts() + 1, random);
        store.failed(d.seq(), status, reason, next, giveUp);
        (giveUp ? dead : failed).increment();
        if (giveUp) {
            LOG.warn("[webhook: {}] event {} given up after {} attempts ({}); listed as a dead letter",
                    subscription.id(), d.webhookId(), d.attempts() + 1, reason);
        } else {
            LOG.debug("[webhook: {}] event {} attempt {} failed ({}); next in {} ms", subscription.id(), d.webhookId(),
                    d.attempts() + 1, reason, next - now);
        }
    }

    @Override
    public void close() {
        pump.shutdownNow();
        completions.shutdownNow();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

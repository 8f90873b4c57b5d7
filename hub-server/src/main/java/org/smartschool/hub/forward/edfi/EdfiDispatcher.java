package org.smartschool.hub.forward.edfi;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.config.EdfiConfig;
import org.smartschool.hub.forward.AttendanceEvents;
import org.smartschool.hub.forward.RetrySchedule;

/**
 * Sends queued attendance events to Ed-Fi: one at a time per (school, learner), so a learner's later
 * decision never overtakes an earlier one; at most {@code maxInFlight} at once, on threads of its own,
 * so a slow or dead Ed-Fi API holds only its own queue (webhooks and ingest go on); while the API looks
 * down, one request at a time probes it. Failures are
 * retried by the {@link RetrySchedule}; what Ed-Fi refuses as wrong (400) or what the configuration
 * cannot map is a dead letter at once.
 *
 * <p>A change of category for the same slot (learner, day, class, session or period) is a different
 * Ed-Fi resource, as the category descriptor is part of Ed-Fi's natural key: the resource created for
 * the slot before (its id kept from the {@code Location} header) is deleted, then the new one posted.
 */
public final class EdfiDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdfiDispatcher.class);

    private final EdfiStore store;
    private final EdfiMapping mapping;
    private final EdfiClient client;
    private final RetrySchedule schedule;
    private final long leaseMillis;
    private final int maxInFlight;
    private final Clock clock;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "edfi-pump"));
    private final ExecutorService senders;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(2, r -> thread(r, "edfi-io"));
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * The last attempt found the API down (no answer, 502, 503, 504): until one gets through, one request
     * at a time probes it, so a dead API costs one hung request per timeout, not {@code maxInFlight}.
     */
    private volatile boolean apiDown;
    private final Counter delivered;
    private final Counter failed;
    private final Counter dead;

    /**
     * @param config  the API, its credentials and the mapping of our ids ({@code edfi.*}); must be enabled
     * @param timeout each request's ({@code edfi.timeoutSeconds}); a delivery is leased for the longest
     *                chain of its requests (token, DELETE, POST, and once more after a 401), so no other
     *                pump sends it meanwhile
     */
    public EdfiDispatcher(EdfiStore store, EdfiConfig config, RetrySchedule schedule, Duration timeout, Clock clock,
                          MeterRegistry metrics) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("edfi.baseUrl is empty: the Ed-Fi connector is off");
        }
        this.store = store;
        this.mapping = new EdfiMapping(config);
        this.schedule = schedule;
        this.leaseMillis = 6 * timeout.toMillis() + 1_000;
        this.maxInFlight = config.maxInFlight();
        this.clock = clock;
        this.senders = Executors.newFixedThreadPool(maxInFlight, r -> thread(r, "edfi-send"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).executor(httpThreads)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        EdfiTokens tokens = new EdfiTokens(http, URI.create(config.tokenUrl()), config.key(), config.secret(), timeout, clock);
        this.client = new EdfiClient(http, config.baseUrl(), tokens, timeout);
        this.delivered = metrics.counter("hub_edfi_deliveries_total", "outcome", "delivered");
        this.failed = metrics.counter("hub_edfi_deliveries_total", "outcome", "failed");
        this.dead = metrics.counter("hub_edfi_deliveries_total", "outcome", "dead");
    }

    /** Looks for due events every {@code pollMillis}, and at once after each {@link #wake()}. */
    public void start(long pollMillis) {
        pump.scheduleWithFixedDelay(this::pumpSafely, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Something was queued or finished: look again now rather than at the next poll. */
    public void wake() {
        try {
            pump.execute(this::pumpSafely);
        } catch (RejectedExecutionException closed) {
            // closing: the next start polls anyway
        }
    }

    private void pumpSafely() {
        try {
            pumpOnce();
        } catch (RuntimeException e) {
            LOG.warn("[edfi] cannot read the queue: {}", e.toString());
        }
    }

    private void pumpOnce() {
        int free = apiDown ? (inFlight.get() == 0 ? 1 : 0) : maxInFlight - inFlight.get();
        long now = clock.millis();
        if (free <= 0 || !store.anyDue(now)) {
            return; // idle: a read only, no write transaction
        }
        for (EdfiDelivery d : store.claimDue(now, now + leaseMillis, free)) {
            inFlight.incrementAndGet();
            try {
                senders.execute(() -> {
                    try {
                        attempt(d);
                    } finally {
                        inFlight.decrementAndGet();
                        wake();
                    }
                });
            } catch (RejectedExecutionException closed) {
                inFlight.decrementAndGet();
                return; // its lease runs out; the next start sends it
            }
        }
    }

    private void attempt(EdfiDelivery d) {
        try {
            attemptOnce(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the lease runs out and a later start sends it
        } catch (RuntimeException e) {
            // the state database failed us: the lease runs out and the event is sent again (an upsert)
            LOG.warn("[edfi] event {}: cannot record the outcome, it will be sent again: {}", d.eventId(), e.toString());
        }
    }

    private void attemptOnce(EdfiDelivery d) throws InterruptedException {
        EdfiRequest request;
        String slot;
        try {
            AttendanceEvent event = AttendanceEvents.parse(d.body());
            request = mapping.map(event);
            slot = event.slot();
        } catch (IllegalArgumentException e) {
            // unmappable (no term covers the day, no section for the class) or unreadable: no retry helps
            settleFailure(d, 0, e.getMessage(), "not mappable to Ed-Fi");
            return;
        }
        try {
            send(d, slot, request);
        } catch (EdfiException e) {
            settleFailure(d, e.status(), e.getMessage(), e.permanent() ? "refused" : null);
        }
    }

    private void send(EdfiDelivery d, String slot, EdfiRequest request) throws EdfiException, InterruptedException {
        Optional<EdfiResourceRef> before = store.resource(slot);
        boolean sameResource = before.isPresent() && before.get().resource().equals(request.resource())
                && before.get().descriptor().equals(request.descriptor());
        if (before.isPresent() && !sameResource && !store.sharedWithOtherSlot(before.get().id(), slot)) {
            // the category is part of Ed-Fi's key: the old record would stand beside the new one
            client.delete(before.get().resource(), before.get().id());
        }
        EdfiClient.Created created = client.post(request);
        EdfiResourceRef now = created.id() != null ? new EdfiResourceRef(slot, request.resource(), created.id(), request.descriptor())
                : sameResource ? before.get() : null;
        apiDown = false;
        store.delivered(d.seq(), created.status(), clock.millis(), slot, now);
        delivered.increment();
    }

    /** @param permanent why no retry can help, or null when one may */
    private void settleFailure(EdfiDelivery d, int status, String reason, String permanent) {
        long now = clock.millis();
        apiDown = status == 0 && permanent == null || status == 502 || status == 503 || status == 504;
        boolean giveUp = permanent != null || schedule.givesUp(d.createdAt(), now);
        long next = now + schedule.waitAfter(d.attempts() + 1, random);
        store.failed(d.seq(), status, reason, next, giveUp);
        (giveUp ? dead : failed).increment();
        // the reason stays in the state database (it may quote what Ed-Fi said about the learner)
        if (giveUp) {
            LOG.warn("[edfi] event {} is a dead letter after {} attempts (HTTP {}, {})", d.eventId(), d.attempts() + 1, status,
                    permanent != null ? permanent : "retried for too long");
        } else {
            LOG.debug("[edfi] event {} attempt {} failed (HTTP {}); next in {} ms", d.eventId(), d.attempts() + 1, status,
                    next - now);
        }
    }

    @Override
    public void close() {
        pump.shutdownNow();
        senders.shutdownNow();
        httpThreads.shutdownNow();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

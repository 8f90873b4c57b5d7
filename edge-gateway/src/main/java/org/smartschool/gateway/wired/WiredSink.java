package org.smartschool.gateway.wired;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.text.SafeText;
import org.smartschool.gateway.attendance.DoorAnswer;
import org.smartschool.gateway.outbox.OutboxClosedException;
import org.smartschool.gateway.south.Delivery;
import org.smartschool.gateway.south.DeviceIntake;
import org.smartschool.gateway.south.IntakeOutcome;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Hands what the wired devices produce to the {@link DeviceIntake}, on one thread of its own: the
 * intake blocks on disk I/O, and neither a Pi4J event thread nor a sensor's polling may wait for it.
 *
 * <p>When the outbox is full a message with device events (a door opened, a sensor went offline) is
 * offered again after the intake's retry time, since such events are never to be dropped while
 * there is a way to keep them; a message of readings only is dropped and counted: the sensor sends
 * a fresher one soon. A UART line has nobody to retry it and is dropped and counted too.
 */
public final class WiredSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WiredSink.class);
    /** Messages waiting for the intake at most; beyond that the newest are dropped (and counted). */
    static final int MAX_PENDING = 10_000;

    private final DeviceIntake intake;
    private final java.util.function.Consumer<DoorAnswer> answers;
    private final ScheduledThreadPoolExecutor executor;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 10_000);
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    public WiredSink(DeviceIntake intake) {
        this(intake, answer -> { });
    }

    /**
     * @param answers told the answer to each card tap of a wired reader, once its append committed
     *                (attendance): the reader's signal shows it
     */
    public WiredSink(DeviceIntake intake, java.util.function.Consumer<DoorAnswer> answers) {
        this.intake = intake;
        this.answers = answers;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wired-intake");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Records measured by a driver, for device {@code device}. Returns at once. */
    public void records(String device, List<Reading> readings, List<DeviceEvent> events, long at) {
        if (readings.isEmpty() && events.isEmpty()) {
            return;
        }
        RawMessage message = new RawMessage(WiredRoutes.recordsTopic(device), "application/json",
                WiredRecordCodec.encode(readings, events), at);
        submit(message, !events.isEmpty(), 0);
    }

    /** One line a UART device printed. Returns at once. */
    public void line(String device, byte[] line, long receivedAt) {
        submit(new RawMessage(WiredRoutes.topic(device), null, line, receivedAt), false, 0);
    }

    private void submit(RawMessage message, boolean retryWhenFull, long delayMillis) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            rateLimited.warn("wired-queue", "[topic: {}] wired intake queue full ({} messages): message dropped",
                    message.topic(), MAX_PENDING);
            return;
        }
        try {
            executor.schedule(() -> {
                pending.decrementAndGet();
                offer(message, retryWhenFull);
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            dropped.incrementAndGet(); // the gateway is stopping
        }
    }

    private void offer(RawMessage message, boolean retryWhenFull) {
        IntakeOutcome outcome;
        try {
            // a wired device never delivers twice: the same line again (a card tapped twice) is a new message
            outcome = intake.offer(Delivery.first(message));
        } catch (OutboxClosedException e) {
            dropped.incrementAndGet();
            return;
        } catch (RuntimeException e) {
            // the outbox cannot write (disk): like a full outbox, events wait, readings go
            rateLimited.warn("wired-outbox", "[topic: {}] outbox cannot take a wired message: {}", message.topic(),
                    SafeText.clean(String.valueOf(e.getMessage()), 200));
            outcome = new IntakeOutcome.Full(Duration.ofSeconds(5));
        }
        if (outcome instanceof IntakeOutcome.Recorded r) {
            recorded.incrementAndGet();
            for (DoorAnswer answer : r.answers()) {
                try {
                    answers.accept(answer);
                } catch (RuntimeException e) {
                    rateLimited.warn("wired-answer", "[topic: {}] cannot show the reader's answer: {}", message.topic(),
                            e.getClass().getSimpleName());
                }
            }
        } else if (outcome instanceof IntakeOutcome.Rejected) {
            rejected.incrementAndGet(); // counted, logged and dead-lettered by the intake
        } else if (outcome instanceof IntakeOutcome.Full full) {
            if (retryWhenFull && !executor.isShutdown()) {
                retried.incrementAndGet();
                submit(message, true, full.retryAfter().toMillis());
            } else {
                dropped.incrementAndGet();
                rateLimited.warn("wired-full", "[topic: {}] outbox full: wired message dropped", message.topic());
            }
        }
    }

    /** Messages committed to the outbox. */
    public long recorded() {
        return recorded.get();
    }

    /** Messages the intake refused (undecodable UART lines); they are in the dead letters. */
    public long rejected() {
        return rejected.get();
    }

    /** Messages lost: readings or UART lines while the outbox was full, or more than {@value #MAX_PENDING} waiting. */
    public long dropped() {
        return dropped.get();
    }

    /** Offers repeated because the outbox was full. */
    public long retried() {
        return retried.get();
    }

    /** Messages waiting for the intake. */
    public int pending() {
        return pending.get();
    }

    /** Stops taking messages and waits briefly for the ones already handed over. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

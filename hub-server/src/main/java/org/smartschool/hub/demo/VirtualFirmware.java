package org.smartschool.hub.demo;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the district's simulated devices in real time: one thread wakes every
 * {@value #TICK_MILLIS} ms and has each school's {@link FirmwarePublisher} publish what is due.
 * The first tick publishes the history each simulation starts with, as fast as the broker takes it.
 */
final class VirtualFirmware implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualFirmware.class);
    static final long TICK_MILLIS = 250;

    private final List<FirmwarePublisher> publishers;
    private final Clock clock;
    private final long tickMillis;
    private final ScheduledExecutorService ticker;
    private boolean historyLogged;

    VirtualFirmware(List<FirmwarePublisher> publishers, Clock clock) {
        this(publishers, clock, TICK_MILLIS, "demo-firmware", false);
    }

    /**
     * Devices on a clock of their own ticking every {@code tickMillis} (the morning's door readers on the school
     * clock: a tick of 50 ms is 1.5 simulated seconds at 30x); no history is published or logged.
     */
    VirtualFirmware(List<FirmwarePublisher> publishers, Clock clock, long tickMillis, String thread) {
        this(publishers, clock, tickMillis, thread, true);
    }

    private VirtualFirmware(List<FirmwarePublisher> publishers, Clock clock, long tickMillis, String thread,
                            boolean withoutHistory) {
        this.publishers = List.copyOf(publishers);
        this.clock = clock;
        this.tickMillis = tickMillis;
        this.historyLogged = withoutHistory;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true); // never the reason the JVM stays up; close() stops it in order anyway
            return t;
        });
    }

    void start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long started = System.nanoTime();
        long messages = 0;
        for (FirmwarePublisher publisher : publishers) {
            try {
                messages += publisher.publishDue(clock.millis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a bug in one school's simulation must not stop the others
                LOG.error("[school: {}] simulated firmware failed: {}", publisher.school(), e.toString(), e);
            }
        }
        if (!historyLogged) {
            historyLogged = true;
            LOG.info("Simulated devices published {} messages of history in {} ms",
                    messages, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /** Stops the ticks, then disconnects every school's devices. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Simulated devices did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (FirmwarePublisher publisher : publishers) {
            publisher.close();
        }
    }
}

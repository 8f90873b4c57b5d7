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
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-firmware");
        t.setDaemon(true); // never the reason the JVM stays up; close() stops it in order anyway
        return t;
    });
    private boolean historyLogged;

    VirtualFirmware(List<FirmwarePublisher> publishers, Clock clock) {
        this.publishers = List.copyOf(publishers);
        this.clock = clock;
    }

    void start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
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

package org.smartschool.gateway.attendance;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.gateway.outbox.OutboxClosedException;
import org.smartschool.gateway.outbox.OutboxException;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Judges the cut-offs every few seconds on the gateway's own clock ({@link DoorAttendance#clock}):
 * absences are decided at the school, also while the hub is unreachable. The time comes from a
 * {@link LongSupplier} so that a test can run a morning in a moment.
 */
public final class AttendanceClock implements AutoCloseable {
    /** How often cut-offs are judged: an absence is at most this late. */
    public static final long PERIOD_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(AttendanceClock.class);

    private final ScheduledExecutorService timer;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 60_000);

    private AttendanceClock(DoorAttendance door, String name, LongSupplier clock, long periodMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "attendance-clock " + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> tick(door, clock), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public static AttendanceClock start(DoorAttendance door, String name, LongSupplier clock, long periodMillis) {
        return new AttendanceClock(door, name, clock, periodMillis);
    }

    private void tick(DoorAttendance door, LongSupplier clock) {
        if (!door.on()) {
            return;
        }
        try {
            if (!door.clock(clock.getAsLong())) {
                rateLimited.warn("full", "[attendance] the outbox has no room: cut-offs are judged again at the next tick");
            }
        } catch (OutboxClosedException e) {
            timer.shutdown(); // the gateway is stopping
        } catch (OutboxException e) {
            rateLimited.warn("failed", "[attendance] judging cut-offs failed, again at the next tick: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a bug: the next tick tries again; the exception's text never holds a learner (ids are not in messages)
            LOG.error("[attendance] judging cut-offs failed: {}", e.getClass().getName());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

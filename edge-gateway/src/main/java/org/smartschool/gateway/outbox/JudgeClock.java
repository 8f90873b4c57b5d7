package org.smartschool.gateway.outbox;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Lets a judge of the outbox decide on time alone every few seconds, without a record to trigger it: the
 * school rules' silent sensors ({@code SchoolRules#clock}) and attendance's cut-offs
 * ({@code DoorAttendance#clock}), also while the school's broker or the hub is down. The time comes from a
 * {@link LongSupplier} so that a test can run a morning in a moment.
 */
public final class JudgeClock implements AutoCloseable {
    /** How often time is judged: a silence alarm or an absence is at most this late. */
    public static final long PERIOD_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(JudgeClock.class);

    /** One judgement at {@code now}; false when the outbox had no room for what it decided. */
    public interface Judgement {
        boolean at(long now) throws InterruptedException;
    }

    private final ScheduledExecutorService timer;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 60_000);
    private final String label;
    private final String what;

    /**
     * @param label the log lines' tag ({@code rules})
     * @param what  what is judged, for the log lines ({@code silent sensors})
     */
    private JudgeClock(String label, String what, String thread, Judgement judgement, LongSupplier clock,
                       long periodMillis) {
        this.label = label;
        this.what = what;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> tick(judgement, clock), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public static JudgeClock start(String label, String what, String thread, Judgement judgement, LongSupplier clock,
                                   long periodMillis) {
        return new JudgeClock(label, what, thread, judgement, clock, periodMillis);
    }

    private void tick(Judgement judgement, LongSupplier clock) {
        try {
            if (!judgement.at(clock.getAsLong())) {
                rateLimited.warn("full", "[" + label + "] the outbox has no room: " + what + " are judged again at the next tick");
            }
        } catch (OutboxClosedException e) {
            timer.shutdown(); // the gateway is stopping
        } catch (OutboxException e) {
            rateLimited.warn("failed", "[" + label + "] judging " + what + " failed, again at the next tick: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a bug: the next tick tries again; the class only, as an attendance exception's text could name a learner
            LOG.error("[{}] judging {} failed: {}", label, what, e.getClass().getName());
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

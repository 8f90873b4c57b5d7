package org.smartschool.gateway.alarm;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.gateway.outbox.OutboxClosedException;
import org.smartschool.gateway.outbox.OutboxException;
import org.smartschool.gateway.telemetry.RateLimitedLog;

/**
 * Judges the silence of sensors every few seconds ({@link SchoolRules#clock}): "missing data"
 * rules fire without a reading to trigger them, also while the school's broker is down.
 */
public final class RuleClock implements AutoCloseable {
    /** How often silence is judged: a "no reading for 15 min" alarm is at most this late. */
    public static final long PERIOD_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(RuleClock.class);

    private final ScheduledExecutorService timer;
    private final RateLimitedLog rateLimited = new RateLimitedLog(LOG, 60_000);

    private RuleClock(SchoolRules rules, String name, long periodMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rule-clock " + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> tick(rules), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public static RuleClock start(SchoolRules rules, String name) {
        return new RuleClock(rules, name, PERIOD_MILLIS);
    }

    private void tick(SchoolRules rules) {
        try {
            if (!rules.clock(System.currentTimeMillis())) {
                rateLimited.warn("full", "[rules] the outbox has no room: silent sensors are judged again at the next tick");
            }
        } catch (OutboxClosedException e) {
            timer.shutdown(); // the gateway is stopping
        } catch (OutboxException e) {
            rateLimited.warn("failed", "[rules] judging silent sensors failed, again at the next tick: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("[rules] judging silent sensors failed", e); // a bug: the next tick tries again
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

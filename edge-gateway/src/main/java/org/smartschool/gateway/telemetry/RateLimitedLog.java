package org.smartschool.gateway.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Logs at most one line per key per interval, and says how many were held back, so that one
 * misbehaving device cannot flood the log (the counters still count every occurrence).
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this(log, intervalMillis, System::nanoTime);
    }

    RateLimitedLog(Logger log, long intervalMillis, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.nanoClock = nanoClock;
    }

    /**
     * Logs a warning unless one with the same key was logged within the interval.
     *
     * @return true when the line was written
     */
    public boolean warn(String key, String format, Object... args) {
        Window window = windows.computeIfAbsent(key, k -> new Window());
        long suppressed;
        synchronized (window) {
            long now = nanoClock.getAsLong();
            if (window.started && now - window.lastLogged < intervalNanos) {
                window.suppressed++;
                return false;
            }
            window.started = true;
            window.lastLogged = now;
            suppressed = window.suppressed;
            window.suppressed = 0;
        }
        if (suppressed > 0) {
            log.warn(format + " ({} similar lines suppressed)", append(args, suppressed));
        } else {
            log.warn(format, args);
        }
        return true;
    }

    private static Object[] append(Object[] args, Object extra) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = extra;
        return out;
    }

    private static final class Window {
        boolean started;
        long lastLogged;
        long suppressed;
    }
}

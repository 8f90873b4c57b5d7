package org.smartschool.hub.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Keeps a flood of bad messages from one gateway from flooding the log: at most one line per key
 * and interval; the next line says how many were suppressed. Counters count every occurrence.
 * Public for the other ingest steps (attendance events in batches).
 */
public final class RateLimitedLog {
    private static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final long intervalMillis;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Clock clock, Duration interval) {
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Calls {@code log} with the line and the number of lines suppressed since the last one, unless a
     * line with this key was logged within the interval.
     */
    public void log(String key, String line, BiConsumer<String, Long> log) {
        long now = clock.millis();
        if (windows.size() > MAX_KEYS) {
            windows.clear(); // hostile keys (topics) must not grow this map without bound
        }
        Window window = windows.computeIfAbsent(key, k -> new Window());
        long suppressed;
        synchronized (window) {
            if (window.lastLogged != Long.MIN_VALUE && now - window.lastLogged < intervalMillis) {
                window.suppressed++;
                return;
            }
            suppressed = window.suppressed;
            window.suppressed = 0;
            window.lastLogged = now;
        }
        log.accept(line, suppressed);
    }

    private static final class Window {
        long lastLogged = Long.MIN_VALUE;
        long suppressed;
    }
}

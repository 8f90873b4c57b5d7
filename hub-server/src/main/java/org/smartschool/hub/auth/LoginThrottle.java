package org.smartschool.hub.auth;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits password guessing: at most {@code maxFailures} failed logins per user name within a sliding
 * {@code windowMillis}; past that, the name's next try waits until its oldest failure in the window ages out. A
 * name that does not exist is limited the same way, so the answers say nothing of which names exist. A successful
 * login forgets the name's failures.
 *
 * <p>By user name, not by address: a school's computers share one address behind its router, and so do all users
 * behind a reverse proxy. Kept in memory per hub process (each replica counts its own), for at most
 * {@code maxNames} names, the least recently tried forgotten first.
 */
public final class LoginThrottle {
    public static final int DEFAULT_MAX_FAILURES = 5;
    public static final long DEFAULT_WINDOW_MILLIS = 15 * 60_000L;
    private static final int DEFAULT_MAX_NAMES = 10_000;

    private final int maxFailures;
    private final long windowMillis;
    private final LongSupplier clock;
    private final Map<String, ArrayDeque<Long>> failures;

    public LoginThrottle(int maxFailures, long windowMillis, int maxNames, LongSupplier clock) {
        if (maxFailures < 1 || windowMillis < 1 || maxNames < 1) {
            throw new IllegalArgumentException("maxFailures, windowMillis and maxNames must be positive");
        }
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Long>> eldest) {
                return size() > maxNames;
            }
        };
    }

    /** 5 failures per name in 15 minutes. */
    public static LoginThrottle standard(LongSupplier clock) {
        return new LoginThrottle(DEFAULT_MAX_FAILURES, DEFAULT_WINDOW_MILLIS, DEFAULT_MAX_NAMES, clock);
    }

    /** 0 when {@code user} may try a password now, else how many milliseconds until it may. */
    public synchronized long waitMillis(String user) {
        ArrayDeque<Long> times = failures.get(key(user));
        if (times == null) {
            return 0;
        }
        long now = clock.getAsLong();
        dropOld(times, now);
        return times.size() < maxFailures ? 0 : times.peekFirst() + windowMillis - now;
    }

    /** A wrong password (or an unknown name) for {@code user}. */
    public synchronized void failed(String user) {
        long now = clock.getAsLong();
        ArrayDeque<Long> times = failures.computeIfAbsent(key(user), k -> new ArrayDeque<>());
        dropOld(times, now);
        times.addLast(now);
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
    }

    /** {@code user} signed in: its failures are forgotten. */
    public synchronized void succeeded(String user) {
        failures.remove(key(user));
    }

    private void dropOld(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
            times.removeFirst();
        }
    }

    /** User names are compared as typed but without case: "Lan.Nguyen" and "lan.nguyen" share their failures. */
    private static String key(String user) {
        return user.strip().toLowerCase(Locale.ROOT);
    }
}

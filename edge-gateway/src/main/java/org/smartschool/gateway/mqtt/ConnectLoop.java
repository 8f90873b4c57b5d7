package org.smartschool.gateway.mqtt;

import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one MQTT client connected: connects, and after every loss of the connection connects
 * again, waiting between attempts as {@link Backoff} says (full jitter, capped). Paho's own
 * automatic reconnect is off in both clients: its doubling is not capped by our setting (1, 3,
 * 7 ... 127 s were seen with a 10 s maximum) and it only starts after a first successful connect,
 * while a gateway must start even when its broker or the hub is unreachable (the outbox keeps the
 * records meanwhile).
 *
 * <p>The backoff starts again from its minimum only after a connection that lasted
 * {@link #STABLE_MILLIS}: a peer that accepts and drops at once is not hammered.
 */
public final class ConnectLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectLoop.class);
    /** A connection that lived this long resets the backoff. */
    public static final long STABLE_MILLIS = 10_000;

    /** One blocking connection attempt; throws when it failed. */
    @FunctionalInterface
    public interface Attempt {
        void connect() throws Exception;
    }

    private final String name;
    private final Attempt attempt;
    private final Backoff backoff;
    private final LongConsumer sleeper;
    private final Thread thread;
    private final Object lock = new Object();
    private boolean lost;
    private volatile boolean stopped;
    private volatile long attempts;
    private volatile long connects;

    /**
     * @param name for the thread and the log: {@code south gw-1 tcp://...}
     */
    public ConnectLoop(String name, Attempt attempt, Backoff backoff) {
        this(name, attempt, backoff, null);
    }

    /** @param sleeper waits the given milliseconds (tests record the waits); null sleeps */
    ConnectLoop(String name, Attempt attempt, Backoff backoff, LongConsumer sleeper) {
        this.name = name;
        this.attempt = attempt;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.thread = new Thread(this::run, "connect " + name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** From the client's connection-lost callback: wake the loop to reconnect. Never blocks. */
    public void connectionLost() {
        synchronized (lock) {
            lost = true;
            lock.notifyAll();
        }
    }

    /** Connection attempts made so far (for health and tests). */
    public long attempts() {
        return attempts;
    }

    /** Successful connections so far. */
    public long connects() {
        return connects;
    }

    private void run() {
        int failures = 0;
        while (!stopped) {
            synchronized (lock) {
                lost = false;
            }
            try {
                attempts++;
                attempt.connect();
                connects++;
                if (failures > 0) {
                    LOG.info("[{}] connected after {} failed attempts", name, failures);
                }
                failures = 0;
                long connectedAt = System.nanoTime();
                if (!awaitLoss()) {
                    return;
                }
                if ((System.nanoTime() - connectedAt) / 1_000_000 >= STABLE_MILLIS) {
                    backoff.reset();
                }
            } catch (Exception e) {
                failures++;
                // the first failure and then every 10th: an unreachable broker is expected at times
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn("[{}] cannot connect (attempt {}): {}; retrying within {} ms", name, failures,
                            describe(e), backoff.ceiling());
                }
            }
            if (stopped) {
                return;
            }
            try {
                pause(backoff.next());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return false when stopped */
    private boolean awaitLoss() {
        synchronized (lock) {
            while (!lost && !stopped) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            return !stopped;
        }
    }

    private void pause(long millis) throws InterruptedException {
        if (sleeper != null) {
            sleeper.accept(millis);
        } else if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    /** Stops trying; an attempt under way is left to finish. */
    public void stop() {
        stopped = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        thread.interrupt();
    }

    /** Waits for the loop to end (after {@link #stop()}). */
    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(message)) {
            message = message + " (" + cause.getMessage() + ")";
        }
        return message != null ? message : e.getClass().getSimpleName();
    }
}

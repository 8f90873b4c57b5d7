package org.smartschool.gateway.mqtt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps trying a first connection until it succeeds or is stopped. Paho's automatic reconnect only
 * starts after a connection was once established, and a gateway must start even while its broker
 * or the hub is unreachable (the outbox keeps the records meanwhile).
 */
public final class ConnectLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectLoop.class);

    /** One blocking connection attempt; throws when it failed. */
    @FunctionalInterface
    public interface Attempt {
        void connect() throws Exception;
    }

    private final String name;
    private final Attempt attempt;
    private final Backoff backoff;
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param name for the thread and the log: {@code south gw-1 tcp://...}
     */
    public ConnectLoop(String name, Attempt attempt, Backoff backoff) {
        this.name = name;
        this.attempt = attempt;
        this.backoff = backoff;
        this.thread = new Thread(this::run, "connect " + name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        int failures = 0;
        while (!stopped) {
            try {
                attempt.connect();
                if (failures > 0) {
                    LOG.info("[{}] connected after {} failed attempts", name, failures);
                }
                return;
            } catch (Exception e) {
                failures++;
                // the first failure and then every 10th: an unreachable broker is expected at times
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn("[{}] cannot connect (attempt {}): {}; retrying", name, failures, describe(e));
                }
            }
            try {
                Thread.sleep(backoff.next());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops trying; an attempt under way is left to finish. */
    public void stop() {
        stopped = true;
        thread.interrupt();
    }

    /** Waits for the loop to end (connected or stopped). */
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

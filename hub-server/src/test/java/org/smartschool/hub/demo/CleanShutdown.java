package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks for tests proving that what they started stops cleanly: it leaves no non-daemon thread
 * (one left behind would keep the demo's JVM from exiting after Ctrl-C) and gives its port back.
 */
final class CleanShutdown {
    private static final long POLL_MILLIS = 50;

    private CleanShutdown() {
    }

    /** The non-daemon threads alive now; a new, modifiable set. */
    static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    /**
     * Waits up to {@code deadline} for every non-daemon thread not in {@code before} to end; fails
     * naming the threads still alive then.
     */
    static void awaitNoNewNonDaemonThreads(Set<Thread> before, Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        Set<Thread> extra = newSince(before);
        while (!extra.isEmpty() && System.nanoTime() - until < 0) {
            Thread.sleep(POLL_MILLIS);
            extra = newSince(before);
        }
        assertThat(extra).extracting(Thread::getName).isEmpty();
    }

    /** Asserts that {@code port} on the loopback can be bound again, that is, whoever held it has let it go. */
    static void assertPortFree(int port) throws IOException {
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static Set<Thread> newSince(Set<Thread> before) {
        Set<Thread> extra = liveNonDaemonThreads();
        extra.removeAll(before);
        return extra;
    }
}

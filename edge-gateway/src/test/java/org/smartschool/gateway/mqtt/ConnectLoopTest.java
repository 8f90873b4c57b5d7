package org.smartschool.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.gateway.support.Poll;

/** The reconnect policy as a plain class: attempts that fail, waits recorded instead of slept. */
@Timeout(30)
class ConnectLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Verifies that 40 failed attempts in a row wait with a growing ceiling that never passes the cap. */
    @Test
    void waitsBetweenFailedAttemptsStayWithinTheCap() throws Exception {
        List<Long> waits = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        ConnectLoop loop = new ConnectLoop("test", () -> {
            if (attempts.incrementAndGet() <= 40) {
                throw new java.io.IOException("refused");
            }
        }, new Backoff(1000, 10_000, new Random(3)), waits::add);
        loop.start();

        Poll.until(WAIT, "connected on the 41st attempt", () -> loop.connects() == 1);
        loop.stop();

        assertThat(attempts.get()).isEqualTo(41);
        assertThat(waits).hasSize(40).allSatisfy(w -> assertThat(w).isBetween(0L, 10_000L));
        assertThat(waits.subList(0, 3)).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(4_000L));
        // Paho's own reconnect would be at 127 s by now; ours waits at most the cap
        assertThat(waits.stream().mapToLong(Long::longValue).sum()).isLessThan(40 * 10_000L);
    }

    /** Verifies that a lost connection is connected again (Paho's automatic reconnect is off), after a wait within the cap. */
    @Test
    void reconnectsAfterEveryLoss() throws Exception {
        List<Long> waits = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        ConnectLoop loop = new ConnectLoop("test", attempts::incrementAndGet, new Backoff(100, 500, new Random(5)), waits::add);
        loop.start();
        Poll.until(WAIT, "first connect", () -> loop.connects() == 1);
        assertThat(waits).isEmpty(); // no wait before the first attempt

        for (int loss = 1; loss <= 5; loss++) {
            loop.connectionLost();
            int expected = loss + 1;
            Poll.until(WAIT, "reconnect " + loss, () -> loop.connects() == expected);
        }
        loop.stop();

        assertThat(attempts.get()).isEqualTo(6);
        // connections shorter than STABLE_MILLIS do not reset the backoff: the ceiling grows to the cap
        assertThat(waits).hasSize(5).allSatisfy(w -> assertThat(w).isBetween(0L, 500L));
    }

    /** Verifies that stop ends the loop while it waits for a loss. */
    @Test
    void stopEndsTheLoop() throws Exception {
        ConnectLoop loop = new ConnectLoop("test", () -> { }, new Backoff(100, 500));
        loop.start();
        Poll.until(WAIT, "connected", () -> loop.connects() == 1);
        loop.stop();
        loop.join(5_000);
        loop.connectionLost(); // the loop has ended: nothing reconnects
        assertThat(loop.attempts()).isEqualTo(1);
    }
}

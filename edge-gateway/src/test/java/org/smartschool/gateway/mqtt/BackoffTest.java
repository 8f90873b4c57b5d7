package org.smartschool.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void waitsDoubleUpToTheMaximumWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(100, 1000, new Random(42));
        long[] bases = {100, 200, 400, 800, 1000, 1000};
        for (long base : bases) {
            assertThat(backoff.next()).isBetween(base / 2, base);
        }
    }

    @Test
    void resetStartsAgainFromTheMinimum() {
        Backoff backoff = new Backoff(100, 10_000, new Random(1));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        backoff.reset();
        assertThat(backoff.next()).isBetween(50L, 100L);
    }
}

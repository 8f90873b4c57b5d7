package org.smartschool.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {
    /** Verifies that the ceiling doubles from the minimum to the cap and every wait lies in [0, ceiling]. */
    @Test
    void waitsStayWithinADoublingCeilingCappedAtTheMaximum() {
        Backoff backoff = new Backoff(100, 1000, new Random(42));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ceiling : ceilings) {
            assertThat(backoff.ceiling()).isEqualTo(ceiling);
            assertThat(backoff.next()).isBetween(0L, ceiling);
        }
    }

    /** Verifies the cap over many draws, and that the jitter is full: waits spread over the whole window, not its upper half. */
    @Test
    void fullJitterSpreadsWaitsOverTheWholeWindowAndNeverPassesTheCap() {
        Backoff backoff = new Backoff(1000, 10_000, new Random(7));
        for (int i = 0; i < 5; i++) {
            backoff.next(); // up to the cap
        }
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            waits.add(backoff.next());
        }
        assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(0L, 10_000L));
        long lowerQuarter = waits.stream().filter(w -> w < 2_500).count();
        long upperQuarter = waits.stream().filter(w -> w > 7_500).count();
        // uniform over [0, 10000]: about 2500 each; the old upper-half jitter gave 0 below 5000
        assertThat(lowerQuarter).isBetween(2_300L, 2_700L);
        assertThat(upperQuarter).isBetween(2_300L, 2_700L);
        assertThat(waits.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(9_900L);
    }

    /** Verifies that 700 gateways losing the hub at the same moment spread their first retries over the window. */
    @Test
    void manyGatewaysDoNotRetryInTheSameSecond() {
        Random seeded = new Random(2026);
        int[] perSecond = new int[62]; // 6 waits of at most 1 + 2 + 4 + 8 + 16 + 30 s
        for (int gateway = 0; gateway < 700; gateway++) {
            Backoff backoff = new Backoff(1000, 30_000, new Random(seeded.nextLong()));
            long at = 0;
            for (int attempt = 0; attempt < 6; attempt++) {
                at += backoff.next();
            }
            perSecond[(int) (at / 1000)]++;
        }
        for (int second = 0; second < perSecond.length; second++) {
            assertThat(perSecond[second]).as("gateways retrying for the 6th time in second %d", second).isLessThan(60);
        }
    }

    @Test
    void resetStartsAgainFromTheMinimum() {
        Backoff backoff = new Backoff(100, 10_000, new Random(1));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        assertThat(backoff.ceiling()).isEqualTo(10_000);
        backoff.reset();
        assertThat(backoff.ceiling()).isEqualTo(100);
        assertThat(backoff.next()).isBetween(0L, 100L);
    }

    @Test
    void equalJitterNeverWaitsLessThanHalfTheCeiling() {
        Backoff backoff = Backoff.equalJitter(1_000, 8_000, new Random(7));
        long[] ceilings = {1_000, 2_000, 4_000, 8_000, 8_000, 8_000};
        for (long ceiling : ceilings) {
            assertThat(backoff.next()).isBetween(ceiling / 2, ceiling);
        }
    }
}

package org.smartschool.hub.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void unpacedBatchesAreDueAtOnce() {
        assertEquals(Long.MIN_VALUE, Pacer.UNPACED.dueNanos(500));
    }

    @Test
    void eachBatchComesWithinItsJitterOfItsTurnAndTheRateHolds() {
        // 1,000 readings/s, batches of 500: one every 500 ms
        Pacer pacer = new Pacer(1_000, 0, new Random(7));
        long first = pacer.dueNanos(500);
        assertTrue(first >= -SECOND / 8 && first < SECOND / 2 + SECOND / 8, "first batch within its phase: " + first);
        long phase = first; // within a quarter-interval jitter of the phase
        long last = first;
        for (int i = 1; i <= 200; i++) {
            last = pacer.dueNanos(500);
            long nominal = i * SECOND / 2;
            long offset = last - nominal;
            assertTrue(offset >= -SECOND / 8 - 1 && offset <= SECOND / 2 + SECOND / 8 + 1,
                    "batch " + i + " due " + offset + " ns off its turn");
        }
        // the 201st batch is due 100 s in, give or take the phase and a jitter: the rate is the one asked for
        double seconds = (last - phase) / 1e9;
        assertTrue(seconds > 99 && seconds < 101.5, "200 intervals took " + seconds + " s");
    }

    @Test
    void gatewaysDoNotSendInStep() {
        Set<Long> firstMillis = new HashSet<>();
        for (int gateway = 0; gateway < 10; gateway++) {
            Pacer pacer = new Pacer(1_000, 0, new Random(1_000_003L + gateway));
            firstMillis.add(pacer.dueNanos(500) / 1_000_000);
        }
        // ten gateways, one interval of 500 ms: ten different first moments, not one burst
        assertEquals(10, firstMillis.size(), "first sends " + firstMillis);
    }
}

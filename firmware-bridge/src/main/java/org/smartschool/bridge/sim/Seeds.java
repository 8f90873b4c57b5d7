package org.smartschool.bridge.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from one simulation seed and a name
 * ({@code "r101", "2026-03-02", "period-3"}), so a value depends only on what it is about and
 * never on the order in which the simulation happens to ask for values.
 */
final class Seeds {
    private Seeds() {
    }

    static long mix(long seed, String... parts) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (String part : parts) {
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                h = splitMix(h ^ (b & 0xff));
            }
            h = splitMix(h ^ 0xFF);
        }
        return h;
    }

    static SplittableRandom random(long seed, String... parts) {
        return new SplittableRandom(mix(seed, parts));
    }

    /** A uniform double in [0, 1) for the named thing. */
    static double uniform(long seed, String... parts) {
        return (mix(seed, parts) >>> 11) * 0x1.0p-53;
    }

    /**
     * A normal deviate with standard deviation {@code sigma}, drawn from {@code random} (Box-Muller:
     * SplittableRandom has no nextGaussian on Java 17). Uses exactly two draws.
     */
    static double gaussian(SplittableRandom random, double sigma) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static long splitMix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

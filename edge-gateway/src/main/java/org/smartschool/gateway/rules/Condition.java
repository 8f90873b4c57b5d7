package org.smartschool.gateway.rules;

/**
 * When one level of a rule holds for one sensor series. Hysteresis keeps a level that is active
 * from flapping: it holds on until the value is back past the limit by the hysteresis.
 */
public sealed interface Condition {

    /** Instant value above {@code limit}; once active, until it falls below {@code limit - hysteresis}. */
    record Above(double limit, double hysteresis) implements Condition {
        public Above {
            requireHysteresis(hysteresis);
        }
    }

    /** Instant value below {@code limit}; once active, until it rises above {@code limit + hysteresis}. */
    record Below(double limit, double hysteresis) implements Condition {
        public Below {
            requireHysteresis(hysteresis);
        }
    }

    /** Instant value outside {@code [low, high]}, with hysteresis on both sides. */
    record Outside(double low, double high, double hysteresis) implements Condition {
        public Outside {
            requireHysteresis(hysteresis);
            if (!(low < high)) {
                throw new IllegalArgumentException("outside: low " + low + " must be below high " + high);
            }
        }
    }

    /**
     * Mean over the last {@code windowMillis} above {@code limit}. {@code energy} averages sound
     * levels as acoustics does (LAeq: the mean of 10^(L/10), back to decibels), not arithmetically.
     */
    record MeanAbove(long windowMillis, double limit, double hysteresis, boolean energy) implements Condition {
        public MeanAbove {
            requireHysteresis(hysteresis);
            if (windowMillis < 60_000) {
                throw new IllegalArgumentException("mean window must be at least 1 minute, not " + windowMillis + " ms");
            }
        }
    }

    /** Value rising faster than {@code perMinute} units a minute between two consecutive readings. */
    record RisesFaster(double perMinute) implements Condition {
        public RisesFaster {
            if (!(perMinute > 0)) {
                throw new IllegalArgumentException("rises faster: rate per minute must be positive, not " + perMinute);
            }
        }
    }

    /** A stuck sensor: the same value in {@code readings} consecutive readings. */
    record Unchanged(int readings) implements Condition {
        public Unchanged {
            if (readings < 2) {
                throw new IllegalArgumentException("unchanged: needs at least 2 readings, not " + readings);
            }
        }
    }

    /** Missing data: no reading of the series for {@code millis}; judged by the clock, not by readings. */
    record Silent(long millis) implements Condition {
        public Silent {
            if (millis < 1_000) {
                throw new IllegalArgumentException("silent: at least 1 s, not " + millis + " ms");
            }
        }
    }

    private static void requireHysteresis(double hysteresis) {
        if (!(hysteresis >= 0)) {
            throw new IllegalArgumentException("hysteresis must be zero or positive, not " + hysteresis);
        }
    }
}

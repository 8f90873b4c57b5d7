package org.smartschool.bridge.sim;

import java.util.EnumMap;
import java.util.Map;

/**
 * How often each fault happens: expected episodes per device per day (24 h), drawn per device and
 * day from the seed, so the same seed gives the same faults at the same instants.
 *
 * <p>{@link #NONE} (the default of {@link SchoolLayout}) gives clean data, which is what the demo and
 * most tests want. {@link #LOW} is what a real school of cheap sensors sees, roughly: per device, a
 * stuck hour every 50 days, a dropout or a spike every 20 days, an outage every 50 days, and a false
 * smoke alarm every 100 days; a 40-room school (about 130 devices) then has a handful of faults a day.
 *
 * @param stuck {@link FaultKind#STUCK} episodes per device-day
 * @param dropout {@link FaultKind#DROPOUT} episodes per device-day
 * @param spike {@link FaultKind#SPIKE} reports per device-day
 * @param offline {@link FaultKind#OFFLINE} episodes per device-day
 * @param falseAlarm {@link FaultKind#FALSE_ALARM} episodes per smoke detector and day
 */
public record FaultRates(double stuck, double dropout, double spike, double offline, double falseAlarm) {
    /** More than this many episodes of one kind per device-day is no longer a fault but a broken device. */
    public static final double MAX_PER_DAY = 24;

    public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0);
    public static final FaultRates LOW = new FaultRates(0.02, 0.05, 0.05, 0.02, 0.01);

    public FaultRates {
        check("stuck", stuck);
        check("dropout", dropout);
        check("spike", spike);
        check("offline", offline);
        check("false_alarm", falseAlarm);
    }

    private static void check(String key, double rate) {
        if (!(rate >= 0 && rate <= MAX_PER_DAY)) {
            throw new IllegalArgumentException("faults." + key + ": rate must be 0-" + (int) MAX_PER_DAY
                    + " episodes per device-day, got " + rate);
        }
    }

    /** Every kind at {@code rate} episodes per device-day (tests that want to see every fault in a day). */
    public static FaultRates all(double rate) {
        return new FaultRates(rate, rate, rate, rate, rate);
    }

    public double rate(FaultKind kind) {
        return switch (kind) {
            case STUCK -> stuck;
            case DROPOUT -> dropout;
            case SPIKE -> spike;
            case OFFLINE -> offline;
            case FALSE_ALARM -> falseAlarm;
        };
    }

    /** These rates with {@code kind}'s replaced. */
    public FaultRates with(FaultKind kind, double rate) {
        Map<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
        for (FaultKind k : FaultKind.values()) {
            rates.put(k, k == kind ? rate : rate(k));
        }
        return new FaultRates(rates.get(FaultKind.STUCK), rates.get(FaultKind.DROPOUT), rates.get(FaultKind.SPIKE),
                rates.get(FaultKind.OFFLINE), rates.get(FaultKind.FALSE_ALARM));
    }

    /** Whether any fault can happen. */
    public boolean enabled() {
        return stuck > 0 || dropout > 0 || spike > 0 || offline > 0 || falseAlarm > 0;
    }
}

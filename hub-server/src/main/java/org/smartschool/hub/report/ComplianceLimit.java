package org.smartschool.hub.report;

import java.util.Comparator;
import java.util.Optional;

import org.smartschool.bridge.model.Quantity;
import org.smartschool.gateway.rules.Condition;
import org.smartschool.gateway.rules.Rule;
import org.smartschool.gateway.rules.RuleLevel;

/**
 * The limit a school rule sets on one quantity, as a monthly report judges it: the rule's mildest level with a
 * limit ({@code above}, {@code below}, {@code outside}, {@code meanAbove}); rules without one (a stuck or silent
 * sensor) set no limit. A step mean is within the limit when it is at most {@code high} and at least {@code low}
 * (hysteresis and minimum durations are the alarms' business, not the report's).
 *
 * <p>The step: 15 minutes for an instant limit; for a mean over a window, the window's length rounded up to 15
 * minutes, 1 hour (noise's LAeq) and a day beyond (PM2.5's 24-hour mean), steps aligned to the school's local clock
 * (a day from local midnight). The store's mean is arithmetic also for sound levels, so a noise step's mean is at
 * most its LAeq (said in the README).
 *
 * @param low  the lowest value within, or null for none
 * @param high the highest value within, or null for none
 */
public record ComplianceLimit(String rule, Quantity quantity, Double low, Double high, long stepMillis) {
    public static final long QUARTER_HOUR = 15 * 60_000L;
    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;

    public boolean within(double value) {
        return (low == null || value >= low) && (high == null || value <= high);
    }

    /** {@code ≤ 1000 ppm}, {@code 18–32 Cel}, {@code ≥ 300 lx}. */
    public String describe() {
        String unit = " " + quantity.unit();
        if (low != null && high != null) {
            return number(low) + "–" + number(high) + unit;
        }
        return low != null ? "≥ " + number(low) + unit : "≤ " + number(high) + unit;
    }

    /** The limit of the rule, when it has one. */
    public static Optional<ComplianceLimit> of(Rule rule) {
        return rule.levels().stream().sorted(Comparator.comparing(RuleLevel::severity))
                .map(level -> of(rule, level.condition())).flatMap(Optional::stream).findFirst();
    }

    private static Optional<ComplianceLimit> of(Rule rule, Condition condition) {
        if (condition instanceof Condition.Above a) {
            return Optional.of(new ComplianceLimit(rule.id(), rule.quantity(), null, a.limit(), QUARTER_HOUR));
        }
        if (condition instanceof Condition.Below b) {
            return Optional.of(new ComplianceLimit(rule.id(), rule.quantity(), b.limit(), null, QUARTER_HOUR));
        }
        if (condition instanceof Condition.Outside o) {
            return Optional.of(new ComplianceLimit(rule.id(), rule.quantity(), o.low(), o.high(), QUARTER_HOUR));
        }
        if (condition instanceof Condition.MeanAbove m) {
            return Optional.of(new ComplianceLimit(rule.id(), rule.quantity(), null, m.limit(),
                    m.windowMillis() <= QUARTER_HOUR ? QUARTER_HOUR : m.windowMillis() <= HOUR ? HOUR : DAY));
        }
        return Optional.empty();
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

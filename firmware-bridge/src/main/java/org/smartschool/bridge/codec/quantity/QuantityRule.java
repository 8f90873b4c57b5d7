package org.smartschool.bridge.codec.quantity;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smartschool.bridge.model.Quantity;

/**
 * A numeric channel whose name matches {@code pattern} measures {@code quantity}, reported in
 * {@code unit} unless the firmware says otherwise (Homie's {@code $unit}).
 *
 * <p>{@code quantity: ignore} marks channels that are deliberately not decoded (uptime, a VOC
 * <em>index</em> that is not a concentration, a dew point derived from other readings).
 *
 * @param pattern channel name pattern ({@code *co2*}), see {@link Glob}
 * @param quantity a {@link Quantity} id, or {@code ignore}
 * @param unit the unit the firmware publishes in; defaults to the quantity's canonical unit
 */
public record QuantityRule(String pattern, String quantity, String unit) {
    public static final String IGNORE = "ignore";

    @JsonCreator
    public QuantityRule(@JsonProperty("pattern") String pattern, @JsonProperty("quantity") String quantity,
                        @JsonProperty("unit") String unit) {
        new Glob(pattern); // validates
        if (quantity == null || quantity.isBlank()) {
            throw new IllegalArgumentException("quantity: rule '" + pattern + "' names no quantity (or 'ignore')");
        }
        if (!quantity.equals(IGNORE)) {
            Quantity q;
            try {
                q = Quantity.require(quantity);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("quantity: rule '" + pattern + "': " + e.getMessage(), e);
            }
            if (unit == null) {
                unit = q.unit();
            } else if (!UnitConversions.accepts(q, unit)) {
                throw new IllegalArgumentException("unit: rule '" + pattern + "': '" + unit + "' is not a unit of "
                        + q.id() + "; expected one of " + UnitConversions.acceptedUnits(q));
            }
        }
        this.pattern = pattern;
        this.quantity = quantity;
        this.unit = unit;
    }

    /** A rule for a quantity in its canonical unit. */
    public static QuantityRule of(String pattern, Quantity quantity) {
        return new QuantityRule(pattern, quantity.id(), quantity.unit());
    }

    public static QuantityRule of(String pattern, Quantity quantity, String unit) {
        return new QuantityRule(pattern, quantity.id(), unit);
    }

    public static QuantityRule ignore(String pattern) {
        return new QuantityRule(pattern, IGNORE, null);
    }

    /** The quantity, or empty when the channel is deliberately ignored. */
    public Optional<Quantity> measured() {
        return quantity.equals(IGNORE) ? Optional.empty() : Quantity.byId(quantity);
    }
}

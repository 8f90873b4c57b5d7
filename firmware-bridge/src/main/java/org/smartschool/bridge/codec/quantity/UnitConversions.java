package org.smartschool.bridge.codec.quantity;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.smartschool.bridge.model.Quantity;

/**
 * Converts a value in a unit some firmware sent into the canonical unit of a quantity
 * ({@link Quantity#unit()}), and tells which quantity a unit on its own implies. The one unit table of
 * every codec.
 *
 * <p>Unit names are the SenML registry's (RFC 8428 section 12.1) and RFC 8798's secondary units
 * (kWh, hPa, ppm, ug/m3, mV, mA, km/h ...), plus the spellings firmware really sends: Homie's recommended
 * units ({@code °C}, {@code %}, {@code Pa}, {@code psi}), ESPHome and Home Assistant units ({@code µg/m³},
 * {@code dBm}), Tasmota's {@code mmHg}/{@code inHg}, and look-alike characters people type by mistake
 * ({@code ºC} with the ordinal indicator, {@code μ} as Greek mu). Matching is exact apart from surrounding
 * blanks: SI prefixes differ by case ({@code mW} and {@code MW}), so no case folding is done; known case
 * variants are listed explicitly.
 *
 * <p>Conversions are scoped by quantity: {@code F} means Fahrenheit only when the quantity is already
 * known to be a temperature (in the SenML registry it is the farad), and {@code %} is a humidity, a
 * battery level, a share of the lower explosive limit or a CO2 fraction depending on the quantity.
 */
public final class UnitConversions {

    /** canonical = value * scale + offset */
    private record Linear(double scale, double offset) {
        double apply(double value) {
            return value * scale + offset;
        }
    }

    /** Whether a unit on its own says which quantity a value is. */
    private enum Implies {
        /** No: {@code %}, {@code ug/m3} (PM2.5 or PM10?), {@code F} (the farad in SenML). */
        NOTHING,
        /** Yes: only this quantity is reported in it ({@code Cel}, {@code lx}, {@code kWh}). */
        QUANTITY,
        /**
         * By convention only: another quantity shares the unit ({@code ppm} is also a VOC unit, {@code dB} any
         * logarithmic ratio), but SenML devices that send it with no telling name mean CO2 and loudness.
         */
        BY_CONVENTION
    }

    private static final Linear SAME = new Linear(1, 0);
    private static final Linear FAHRENHEIT = new Linear(5.0 / 9.0, -32 * 5.0 / 9.0);
    private static final Map<Quantity, Map<String, Linear>> BY_QUANTITY = new EnumMap<>(Quantity.class);
    private static final Map<String, Quantity> IMPLIED = new HashMap<>();
    private static final Map<String, Quantity> IMPLIED_BY_CONVENTION = new HashMap<>();

    static {
        define(Quantity.CO2, "ppm", SAME, Implies.BY_CONVENTION);
        define(Quantity.CO2, "PPM", SAME, Implies.NOTHING);
        define(Quantity.CO2, "/", new Linear(1e6, 0), Implies.NOTHING);
        define(Quantity.CO2, "%", new Linear(1e4, 0), Implies.NOTHING);
        define(Quantity.CO2, "ppb", new Linear(1e-3, 0), Implies.NOTHING);

        for (String celsius : new String[] {"Cel", "°C", "ºC", "℃", "degC"}) {
            define(Quantity.TEMPERATURE, celsius, SAME, Implies.QUANTITY);
        }
        define(Quantity.TEMPERATURE, "C", SAME, Implies.NOTHING); // the coulomb in SenML
        define(Quantity.TEMPERATURE, "K", new Linear(1, -273.15), Implies.QUANTITY);
        for (String fahrenheit : new String[] {"°F", "ºF", "degF", "℉"}) {
            define(Quantity.TEMPERATURE, fahrenheit, FAHRENHEIT, Implies.QUANTITY);
        }
        define(Quantity.TEMPERATURE, "F", FAHRENHEIT, Implies.NOTHING); // the farad in SenML
        define(Quantity.TEMPERATURE, "Fah", FAHRENHEIT, Implies.NOTHING);

        define(Quantity.HUMIDITY, "%RH", SAME, Implies.QUANTITY);
        define(Quantity.HUMIDITY, "%rh", SAME, Implies.NOTHING);
        define(Quantity.HUMIDITY, "%", SAME, Implies.NOTHING);
        define(Quantity.HUMIDITY, "/", new Linear(100, 0), Implies.NOTHING);

        define(Quantity.ILLUMINANCE, "lx", SAME, Implies.QUANTITY);
        define(Quantity.ILLUMINANCE, "lux", SAME, Implies.QUANTITY);
        define(Quantity.ILLUMINANCE, "Lux", SAME, Implies.QUANTITY);
        define(Quantity.ILLUMINANCE, "klx", new Linear(1000, 0), Implies.QUANTITY);

        // "dB" in the SenML registry is any logarithmic ratio; a loudness sensor's dB is taken as dBA.
        define(Quantity.NOISE, "dBA", SAME, Implies.QUANTITY);
        define(Quantity.NOISE, "dB(A)", SAME, Implies.QUANTITY);
        define(Quantity.NOISE, "dB", SAME, Implies.BY_CONVENTION);
        define(Quantity.NOISE, "Bspl", new Linear(10, 0), Implies.QUANTITY);

        for (Quantity pm : new Quantity[] {Quantity.PM25, Quantity.PM10}) {
            for (String micrograms : new String[] {"ug/m3", "µg/m3", "μg/m3", "ug/m³", "µg/m³", "μg/m³"}) {
                define(pm, micrograms, SAME, Implies.NOTHING);
            }
            define(pm, "mg/m3", new Linear(1000, 0), Implies.NOTHING);
            define(pm, "kg/m3", new Linear(1e9, 0), Implies.NOTHING);
        }

        define(Quantity.VOC, "ppb", SAME, Implies.QUANTITY);
        define(Quantity.VOC, "PPB", SAME, Implies.NOTHING);
        define(Quantity.VOC, "ppm", new Linear(1000, 0), Implies.NOTHING);
        define(Quantity.VOC, "/", new Linear(1e9, 0), Implies.NOTHING);

        define(Quantity.PRESSURE, "hPa", SAME, Implies.QUANTITY);
        define(Quantity.PRESSURE, "mbar", SAME, Implies.QUANTITY);
        define(Quantity.PRESSURE, "Pa", new Linear(0.01, 0), Implies.QUANTITY);
        define(Quantity.PRESSURE, "kPa", new Linear(10, 0), Implies.QUANTITY);
        define(Quantity.PRESSURE, "bar", new Linear(1000, 0), Implies.QUANTITY);
        define(Quantity.PRESSURE, "mmHg", new Linear(1.333223684, 0), Implies.QUANTITY);
        define(Quantity.PRESSURE, "inHg", new Linear(33.8638866667, 0), Implies.QUANTITY);
        define(Quantity.PRESSURE, "psi", new Linear(68.9475729, 0), Implies.QUANTITY);

        define(Quantity.POWER, "W", SAME, Implies.QUANTITY);
        define(Quantity.POWER, "kW", new Linear(1000, 0), Implies.QUANTITY);
        define(Quantity.POWER, "mW", new Linear(0.001, 0), Implies.QUANTITY);

        define(Quantity.ENERGY, "Wh", SAME, Implies.QUANTITY);
        define(Quantity.ENERGY, "kWh", new Linear(1000, 0), Implies.QUANTITY);
        define(Quantity.ENERGY, "J", new Linear(1 / 3600.0, 0), Implies.QUANTITY);
        define(Quantity.ENERGY, "kJ", new Linear(1 / 3.6, 0), Implies.QUANTITY);

        define(Quantity.VOLTAGE, "V", SAME, Implies.QUANTITY);
        define(Quantity.VOLTAGE, "mV", new Linear(0.001, 0), Implies.QUANTITY);

        define(Quantity.CURRENT, "A", SAME, Implies.QUANTITY);
        define(Quantity.CURRENT, "mA", new Linear(0.001, 0), Implies.QUANTITY);

        define(Quantity.AIR_VELOCITY, "m/s", SAME, Implies.QUANTITY);
        define(Quantity.AIR_VELOCITY, "km/h", new Linear(1 / 3.6, 0), Implies.NOTHING);
        define(Quantity.AIR_VELOCITY, "cm/s", new Linear(0.01, 0), Implies.NOTHING);

        define(Quantity.GAS, "%LEL", SAME, Implies.QUANTITY);
        define(Quantity.GAS, "LEL%", SAME, Implies.QUANTITY);
        define(Quantity.GAS, "%", SAME, Implies.NOTHING);

        define(Quantity.BATTERY, "%EL", SAME, Implies.QUANTITY);
        define(Quantity.BATTERY, "%", SAME, Implies.NOTHING);
        define(Quantity.BATTERY, "/", new Linear(100, 0), Implies.NOTHING);

        define(Quantity.RSSI, "dBm", SAME, Implies.QUANTITY);
        define(Quantity.RSSI, "dBW", new Linear(1, 30), Implies.QUANTITY);

        define(Quantity.LINK_QUALITY, "1", SAME, Implies.NOTHING);
        define(Quantity.LINK_QUALITY, "lqi", SAME, Implies.NOTHING);
        define(Quantity.LINK_QUALITY, "", SAME, Implies.NOTHING); // LQI has no unit; an empty one says so

        for (Quantity quantity : Quantity.values()) {
            if (!BY_QUANTITY.containsKey(quantity) || !BY_QUANTITY.get(quantity).containsKey(quantity.unit())) {
                throw new ExceptionInInitializerError("no identity conversion for quantity " + quantity.id());
            }
        }
        BY_QUANTITY.replaceAll((quantity, units) -> Collections.unmodifiableMap(units));
    }

    private UnitConversions() {
    }

    private static void define(Quantity quantity, String unit, Linear conversion, Implies implies) {
        BY_QUANTITY.computeIfAbsent(quantity, q -> new LinkedHashMap<>()).put(unit, conversion);
        Map<String, Quantity> index = switch (implies) {
            case NOTHING -> null;
            case QUANTITY -> IMPLIED;
            case BY_CONVENTION -> IMPLIED_BY_CONVENTION;
        };
        if (index != null && (IMPLIED.containsKey(unit) || IMPLIED_BY_CONVENTION.containsKey(unit))) {
            throw new IllegalStateException("unit '" + unit + "' implies two quantities");
        }
        if (index != null) {
            index.put(unit, quantity);
        }
    }

    private static Linear conversion(Quantity quantity, String unit) {
        if (unit == null) {
            return null;
        }
        Map<String, Linear> units = BY_QUANTITY.get(quantity);
        Linear conversion = units.get(unit);
        return conversion != null ? conversion : units.get(unit.strip());
    }

    /**
     * {@code value} (in {@code unit}) in the canonical unit of {@code quantity}; empty when the unit is not one
     * this quantity can be converted from, or is missing (null).
     */
    public static OptionalDouble toCanonical(Quantity quantity, String unit, double value) {
        Linear conversion = conversion(quantity, unit);
        return conversion == null ? OptionalDouble.empty() : OptionalDouble.of(conversion.apply(value));
    }

    /**
     * As {@link #toCanonical}, but a missing unit (null or empty) means the canonical unit: SenML, LwM2M and
     * Sparkplug leave units to the application context when none is sent, and ours is the canonical one.
     */
    public static OptionalDouble toCanonicalUnitOptional(Quantity quantity, String unit, double value) {
        if (unit == null || unit.isEmpty()) {
            return OptionalDouble.of(value);
        }
        return toCanonical(quantity, unit, value);
    }

    /** Whether {@code unit} can be converted to the quantity's canonical unit (a missing unit cannot). */
    public static boolean accepts(Quantity quantity, String unit) {
        return conversion(quantity, unit) != null;
    }

    /**
     * The quantity a unit names on its own ({@code Cel} is a temperature, {@code lx} illuminance), including
     * the conventional readings of units another quantity shares ({@code ppm} CO2, {@code dB} noise); empty
     * when the unit is ambiguous ({@code %}, {@code ug/m3}: PM2.5 or PM10?) or unknown. For codecs whose
     * records name a measurement but may leave the name meaningless (SenML, LwM2M, Sparkplug).
     */
    public static Optional<Quantity> impliedBy(String unit) {
        if (unit == null) {
            return Optional.empty();
        }
        String key = unit.strip();
        Quantity quantity = IMPLIED.get(key);
        return Optional.ofNullable(quantity != null ? quantity : IMPLIED_BY_CONVENTION.get(key));
    }

    /**
     * The quantity a unit names when no other quantity is reported in it ({@code °F}, {@code kWh}), without the
     * conventional readings of {@link #impliedBy} ({@code ppm} is CO2 or VOC, so it names neither). For codecs
     * whose channel names are free text (Homie), where a guess would store a wrong quantity.
     */
    public static Optional<Quantity> unambiguousQuantityOf(String unit) {
        return unit == null ? Optional.empty() : Optional.ofNullable(IMPLIED.get(unit.strip()));
    }

    /** The unit spellings accepted for {@code quantity}, canonical one included, for messages that list them. */
    public static Set<String> acceptedUnits(Quantity quantity) {
        return BY_QUANTITY.get(quantity).keySet();
    }
}

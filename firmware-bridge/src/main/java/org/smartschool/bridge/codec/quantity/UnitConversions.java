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
 * ({@link Quantity#unit()}), and tells which quantity a unit on its own implies.
 *
 * <p>Unit names are the SenML registry's (RFC 8428 section 12.1) and RFC 8798's secondary units
 * (kWh, hPa, ppm, ug/m3, mV, mA, km/h ...), plus the spellings firmware commonly sends instead
 * ({@code °C}, {@code lux}, {@code µg/m³}, {@code PPM}). Matching is exact: SI prefixes differ by case
 * ({@code mW} and {@code MW}), so no case folding is done; known case variants are listed explicitly.
 *
 * <p>Conversions are scoped by quantity: {@code F} means Fahrenheit only when the quantity is already
 * known to be a temperature (in the SenML registry it is the farad), and {@code %} is a humidity, a
 * battery level or a share of the lower explosive limit depending on the quantity.
 */
public final class UnitConversions {

    /** canonical = value * scale + offset */
    private record Linear(double scale, double offset) {
        double apply(double value) {
            return value * scale + offset;
        }
    }

    private static final Linear SAME = new Linear(1, 0);
    private static final Map<Quantity, Map<String, Linear>> BY_QUANTITY = new EnumMap<>(Quantity.class);
    /** Units that name exactly one quantity of ours, so a record with no telling name can still be mapped. */
    private static final Map<String, Quantity> IMPLIED = new HashMap<>();

    static {
        define(Quantity.CO2, "ppm", SAME, true);
        define(Quantity.CO2, "PPM", SAME, false);
        define(Quantity.CO2, "/", new Linear(1e6, 0), false);
        define(Quantity.CO2, "%", new Linear(1e4, 0), false);
        define(Quantity.CO2, "ppb", new Linear(1e-3, 0), false);

        for (String celsius : new String[] {"Cel", "°C", "℃", "degC"}) {
            define(Quantity.TEMPERATURE, celsius, SAME, true);
        }
        define(Quantity.TEMPERATURE, "C", SAME, false);
        define(Quantity.TEMPERATURE, "K", new Linear(1, -273.15), true);
        for (String fahrenheit : new String[] {"°F", "degF", "℉"}) {
            define(Quantity.TEMPERATURE, fahrenheit, new Linear(5.0 / 9.0, -32 * 5.0 / 9.0), true);
        }
        define(Quantity.TEMPERATURE, "F", new Linear(5.0 / 9.0, -32 * 5.0 / 9.0), false);
        define(Quantity.TEMPERATURE, "Fah", new Linear(5.0 / 9.0, -32 * 5.0 / 9.0), false);

        define(Quantity.HUMIDITY, "%RH", SAME, true);
        define(Quantity.HUMIDITY, "%rh", SAME, false);
        define(Quantity.HUMIDITY, "%", SAME, false);
        define(Quantity.HUMIDITY, "/", new Linear(100, 0), false);

        define(Quantity.ILLUMINANCE, "lx", SAME, true);
        define(Quantity.ILLUMINANCE, "lux", SAME, true);
        define(Quantity.ILLUMINANCE, "Lux", SAME, true);
        define(Quantity.ILLUMINANCE, "klx", new Linear(1000, 0), true);

        // "dB" in the SenML registry is any logarithmic ratio; a loudness sensor's dB is taken as dBA.
        define(Quantity.NOISE, "dBA", SAME, true);
        define(Quantity.NOISE, "dB(A)", SAME, true);
        define(Quantity.NOISE, "dB", SAME, true);
        define(Quantity.NOISE, "Bspl", new Linear(10, 0), true);

        for (Quantity pm : new Quantity[] {Quantity.PM25, Quantity.PM10}) {
            for (String micrograms : new String[] {"ug/m3", "µg/m3", "μg/m3", "ug/m³", "µg/m³", "μg/m³"}) {
                define(pm, micrograms, SAME, false);
            }
            define(pm, "mg/m3", new Linear(1000, 0), false);
            define(pm, "kg/m3", new Linear(1e9, 0), false);
        }

        define(Quantity.VOC, "ppb", SAME, true);
        define(Quantity.VOC, "PPB", SAME, false);
        define(Quantity.VOC, "ppm", new Linear(1000, 0), false);
        define(Quantity.VOC, "/", new Linear(1e9, 0), false);

        define(Quantity.PRESSURE, "hPa", SAME, true);
        define(Quantity.PRESSURE, "mbar", SAME, true);
        define(Quantity.PRESSURE, "Pa", new Linear(0.01, 0), true);
        define(Quantity.PRESSURE, "kPa", new Linear(10, 0), true);
        define(Quantity.PRESSURE, "bar", new Linear(1000, 0), true);

        define(Quantity.POWER, "W", SAME, true);
        define(Quantity.POWER, "kW", new Linear(1000, 0), true);
        define(Quantity.POWER, "mW", new Linear(0.001, 0), true);

        define(Quantity.ENERGY, "Wh", SAME, true);
        define(Quantity.ENERGY, "kWh", new Linear(1000, 0), true);
        define(Quantity.ENERGY, "J", new Linear(1 / 3600.0, 0), true);
        define(Quantity.ENERGY, "kJ", new Linear(1 / 3.6, 0), true);

        define(Quantity.VOLTAGE, "V", SAME, true);
        define(Quantity.VOLTAGE, "mV", new Linear(0.001, 0), true);

        define(Quantity.CURRENT, "A", SAME, true);
        define(Quantity.CURRENT, "mA", new Linear(0.001, 0), true);

        define(Quantity.AIR_VELOCITY, "m/s", SAME, true);
        define(Quantity.AIR_VELOCITY, "km/h", new Linear(1 / 3.6, 0), false);
        define(Quantity.AIR_VELOCITY, "cm/s", new Linear(0.01, 0), false);

        define(Quantity.GAS, "%LEL", SAME, true);
        define(Quantity.GAS, "LEL%", SAME, true);
        define(Quantity.GAS, "%", SAME, false);

        define(Quantity.BATTERY, "%EL", SAME, true);
        define(Quantity.BATTERY, "%", SAME, false);
        define(Quantity.BATTERY, "/", new Linear(100, 0), false);

        define(Quantity.RSSI, "dBm", SAME, true);
        define(Quantity.RSSI, "dBW", new Linear(1, 30), true);

        define(Quantity.LINK_QUALITY, "1", SAME, false);
        define(Quantity.LINK_QUALITY, "lqi", SAME, false);

        BY_QUANTITY.replaceAll((quantity, units) -> Collections.unmodifiableMap(units));
    }

    private UnitConversions() {
    }

    private static void define(Quantity quantity, String unit, Linear conversion, boolean impliesQuantity) {
        BY_QUANTITY.computeIfAbsent(quantity, q -> new LinkedHashMap<>()).put(unit, conversion);
        if (impliesQuantity && IMPLIED.putIfAbsent(unit, quantity) != null) {
            throw new IllegalStateException("unit '" + unit + "' implies two quantities");
        }
    }

    /**
     * The value in the quantity's canonical unit, or empty when the unit is not one this quantity can be
     * converted from. A missing unit (null or empty) means the canonical unit: SenML leaves units to the
     * application context when none is sent, and ours is the canonical one.
     */
    public static OptionalDouble toCanonical(Quantity quantity, String unit, double value) {
        if (unit == null || unit.isEmpty() || unit.equals(quantity.unit())) {
            return OptionalDouble.of(value);
        }
        Linear conversion = BY_QUANTITY.getOrDefault(quantity, Map.of()).get(unit);
        return conversion == null ? OptionalDouble.empty() : OptionalDouble.of(conversion.apply(value));
    }

    /** Whether {@code unit} can be converted to the quantity's canonical unit. */
    public static boolean accepts(Quantity quantity, String unit) {
        return toCanonical(quantity, unit, 0).isPresent();
    }

    /**
     * The quantity a unit names on its own ({@code Cel} is a temperature, {@code ppm} CO2, {@code lx}
     * illuminance), or empty when the unit is ambiguous ({@code %}, {@code ug/m3}: PM2.5 or PM10?) or unknown.
     */
    public static Optional<Quantity> impliedBy(String unit) {
        return unit == null ? Optional.empty() : Optional.ofNullable(IMPLIED.get(unit));
    }

    /** The units a quantity accepts besides its canonical one, for error messages. */
    public static Set<String> acceptedUnits(Quantity quantity) {
        return BY_QUANTITY.getOrDefault(quantity, Map.of()).keySet();
    }
}

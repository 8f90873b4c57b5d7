package org.smartschool.bridge.codec.units;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.smartschool.bridge.model.Quantity;

/**
 * Converts a value that firmware reports in a named unit ({@code °F}, {@code kWh}, {@code mmHg})
 * into the canonical unit of its quantity ({@link Quantity#unit()}).
 *
 * <p>Unit names are matched exactly (case matters: {@code mA} is not {@code MA}), with the
 * spellings firmware really uses: Homie's recommended units ({@code °C}, {@code %}, {@code Pa},
 * {@code kWh}...), ESPHome and Home Assistant units ({@code µg/m³}, {@code dBm}), Tasmota's
 * {@code mmHg}/{@code inHg}, SenML names ({@code Cel}, {@code %RH}) and the look-alike characters
 * people type by mistake ({@code ºC} with the ordinal indicator, {@code μ} as Greek mu).
 */
public final class UnitConversion {

    /** canonical = (value + addBefore) * factor. */
    private record Step(double addBefore, double factor) {
        double apply(double value) {
            return (value + addBefore) * factor;
        }
    }

    private static final Step SAME = new Step(0, 1);
    private static final Map<Quantity, Map<String, Step>> UNITS = new EnumMap<>(Quantity.class);
    /** Units that name exactly one quantity, so a value with only a unit can still be placed. */
    private static final Map<String, Quantity> UNAMBIGUOUS = new LinkedHashMap<>();

    static {
        Step fahrenheit = new Step(-32, 5.0 / 9.0);
        Step kelvin = new Step(-273.15, 1);
        units(Quantity.TEMPERATURE, "Cel", SAME, "°C", SAME, "ºC", SAME, "℃", SAME, "C", SAME, "degC", SAME,
                "°F", fahrenheit, "ºF", fahrenheit, "℉", fahrenheit, "F", fahrenheit, "degF", fahrenheit,
                "K", kelvin);
        units(Quantity.HUMIDITY, "%RH", SAME, "%", SAME);
        units(Quantity.BATTERY, "%", SAME);
        units(Quantity.CO2, "ppm", SAME);
        units(Quantity.VOC, "ppb", SAME, "ppm", new Step(0, 1000));
        units(Quantity.ILLUMINANCE, "lx", SAME, "lux", SAME, "Lux", SAME);
        String[] microgram = {"ug/m3", "µg/m³", "μg/m³", "µg/m3", "μg/m3", "ug/m³"};
        for (Quantity pm : new Quantity[] {Quantity.PM25, Quantity.PM10}) {
            for (String unit : microgram) {
                units(pm, unit, SAME);
            }
        }
        units(Quantity.PRESSURE, "hPa", SAME, "mbar", SAME, "Pa", new Step(0, 0.01), "kPa", new Step(0, 10),
                "mmHg", new Step(0, 1.333223684), "inHg", new Step(0, 33.8638866667), "psi", new Step(0, 68.9475729));
        units(Quantity.POWER, "W", SAME, "kW", new Step(0, 1000));
        units(Quantity.ENERGY, "Wh", SAME, "kWh", new Step(0, 1000));
        units(Quantity.VOLTAGE, "V", SAME, "mV", new Step(0, 0.001));
        units(Quantity.CURRENT, "A", SAME, "mA", new Step(0, 0.001));
        units(Quantity.NOISE, "dBA", SAME, "dB(A)", SAME, "dB", SAME);
        units(Quantity.RSSI, "dBm", SAME);
        units(Quantity.AIR_VELOCITY, "m/s", SAME);
        units(Quantity.GAS, "%LEL", SAME, "%", SAME);
        units(Quantity.LINK_QUALITY, "1", SAME, "", SAME);
        for (Quantity q : Quantity.values()) {
            if (!UNITS.containsKey(q) || !UNITS.get(q).containsKey(q.unit())) {
                throw new ExceptionInInitializerError("no identity conversion for quantity " + q.id());
            }
        }
        // a unit that several quantities share (%, ppm, dB, ug/m3) says nothing on its own
        Map<String, Integer> owners = new LinkedHashMap<>();
        UNITS.values().forEach(m -> m.keySet().forEach(u -> owners.merge(u, 1, Integer::sum)));
        UNITS.forEach((q, m) -> m.keySet().forEach(u -> {
            if (owners.get(u) == 1 && !u.isEmpty() && !u.equals("1") && !u.equals("dB")) {
                UNAMBIGUOUS.put(u, q);
            }
        }));
    }

    private UnitConversion() {
    }

    private static void units(Quantity quantity, Object... unitThenStep) {
        Map<String, Step> map = UNITS.computeIfAbsent(quantity, q -> new LinkedHashMap<>());
        for (int i = 0; i < unitThenStep.length; i += 2) {
            map.put((String) unitThenStep[i], (Step) unitThenStep[i + 1]);
        }
    }

    /** {@code value} (in {@code unit}) in the canonical unit of {@code quantity}; empty when the unit does not fit. */
    public static OptionalDouble toCanonical(Quantity quantity, String unit, double value) {
        Step step = unit == null ? null : UNITS.get(quantity).get(unit.trim());
        return step == null ? OptionalDouble.empty() : OptionalDouble.of(step.apply(value));
    }

    /** Whether {@code unit} is a unit {@code quantity} can be reported in. */
    public static boolean fits(Quantity quantity, String unit) {
        return unit != null && UNITS.get(quantity).containsKey(unit.trim());
    }

    /** The quantity a unit alone names ({@code °F} is a temperature), when only one quantity uses it. */
    public static Optional<Quantity> quantityOf(String unit) {
        return unit == null ? Optional.empty() : Optional.ofNullable(UNAMBIGUOUS.get(unit.trim()));
    }

    /** The unit spellings accepted for {@code quantity}, for messages that list them. */
    public static Set<String> unitsOf(Quantity quantity) {
        return Collections.unmodifiableSet(UNITS.get(quantity).keySet());
    }
}

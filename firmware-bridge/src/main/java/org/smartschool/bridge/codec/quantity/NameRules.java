package org.smartschool.bridge.codec.quantity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smartschool.bridge.model.Quantity;

/**
 * Which quantity a channel measures, judged by its name, for firmware whose messages carry a name
 * but no meaning: an ESPHome {@code object_id} ({@code classroom_co2}), a Homie property id
 * ({@code temperature}). The first matching rule wins, so specific rules go before general ones
 * ({@code *power_factor*} before {@code *power*}).
 *
 * <p>The defaults cover the names ESPHome derives from its components' usual entity names and
 * the ones people give in school projects; a school adds its own rules in the gateway
 * configuration, ahead of the defaults. A name no rule matches is an "unknown quantity" problem
 * for the codec to report, never a guess.
 *
 * <p>Thread-safe. Lookups are cached per name; the cache is bounded because names come from
 * topics that any device on the broker can invent.
 */
public final class NameRules {
    private static final int CACHE_LIMIT = 4096;
    private static final int NO_RULE = -1;

    private final List<QuantityRule> numeric;
    private final List<BinaryRule> binary;
    private final List<Glob> numericGlobs = new ArrayList<>();
    private final List<Glob> binaryGlobs = new ArrayList<>();
    private final Map<String, Integer> numericCache = new ConcurrentHashMap<>();
    private final Map<String, Integer> binaryCache = new ConcurrentHashMap<>();

    @JsonCreator
    public NameRules(@JsonProperty("numeric") List<QuantityRule> numeric, @JsonProperty("binary") List<BinaryRule> binary) {
        this.numeric = List.copyOf(numeric == null ? List.of() : numeric);
        this.binary = List.copyOf(binary == null ? List.of() : binary);
        this.numeric.forEach(r -> numericGlobs.add(new Glob(r.pattern())));
        this.binary.forEach(r -> binaryGlobs.add(new Glob(r.pattern())));
    }

    /** These rules first, then {@code fallback}'s. */
    public NameRules before(NameRules fallback) {
        List<QuantityRule> n = new ArrayList<>(numeric);
        n.addAll(fallback.numeric);
        List<BinaryRule> b = new ArrayList<>(binary);
        b.addAll(fallback.binary);
        return new NameRules(n, b);
    }

    public List<QuantityRule> numeric() {
        return numeric;
    }

    public List<BinaryRule> binary() {
        return binary;
    }

    /** The rule for a numeric channel, or empty when no rule knows the name. */
    public Optional<QuantityRule> numeric(String name) {
        int i = lookup(name, numericCache, numericGlobs);
        return i == NO_RULE ? Optional.empty() : Optional.of(numeric.get(i));
    }

    /** The rule for an on/off channel, or empty when no rule knows the name. */
    public Optional<BinaryRule> binary(String name) {
        int i = lookup(name, binaryCache, binaryGlobs);
        return i == NO_RULE ? Optional.empty() : Optional.of(binary.get(i));
    }

    private static int lookup(String name, Map<String, Integer> cache, List<Glob> globs) {
        Integer cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        int found = NO_RULE;
        for (int i = 0; i < globs.size(); i++) {
            if (globs.get(i).matches(name)) {
                found = i;
                break;
            }
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(name, found);
        return found;
    }

    /**
     * The built-in rules. Unit assumptions: ESPHome and Homie devices publish in the unit their
     * sensor component reports by default (temperature in Cel, pressure in hPa, energy in Wh, PM in
     * ug/m3); a device configured for other units needs a rule naming its unit (or Homie's {@code $unit}).
     */
    public static NameRules defaults() {
        return new NameRules(List.of(
                // deliberately not decoded: derived values, indices that are not concentrations, housekeeping
                QuantityRule.ignore("*dew_point*"),
                QuantityRule.ignore("*dewpoint*"),
                QuantityRule.ignore("*uptime*"),
                QuantityRule.ignore("*voc_index*"),
                QuantityRule.ignore("*nox*"),
                QuantityRule.ignore("*gas_resistance*"),
                QuantityRule.ignore("*power_factor*"),
                // ESPHome (str_sanitize) turns "Particulate Matter <1.0µm Concentration" into
                // particulate_matter__1_0__m_concentration; there is no PM1 or PM4 quantity, and PMC values are counts
                QuantityRule.ignore("*pmc*"),
                QuantityRule.ignore("*pm*1_0*"),
                QuantityRule.ignore("*particulate*1_0*"),
                QuantityRule.ignore("*pm*4_0*"),
                QuantityRule.ignore("*particulate*4_0*"),
                QuantityRule.ignore("*aqi*"),
                QuantityRule.of("*co2*", Quantity.CO2),
                QuantityRule.of("*carbon_dioxide*", Quantity.CO2),
                QuantityRule.of("*voc*", Quantity.VOC),
                QuantityRule.of("*pm*2_5*", Quantity.PM25),
                QuantityRule.of("*particulate*2_5*", Quantity.PM25),
                QuantityRule.of("*pm25*", Quantity.PM25),
                QuantityRule.of("*pm*10*", Quantity.PM10),
                QuantityRule.of("*particulate*10*", Quantity.PM10),
                QuantityRule.of("*temperature*", Quantity.TEMPERATURE),
                QuantityRule.of("*humidity*", Quantity.HUMIDITY),
                QuantityRule.of("*illuminance*", Quantity.ILLUMINANCE),
                QuantityRule.of("*lux*", Quantity.ILLUMINANCE),
                QuantityRule.of("*pressure*", Quantity.PRESSURE),
                QuantityRule.of("*noise*", Quantity.NOISE),
                QuantityRule.of("*sound*", Quantity.NOISE),
                QuantityRule.of("*wifi_signal*", Quantity.RSSI),
                QuantityRule.of("*rssi*", Quantity.RSSI),
                QuantityRule.of("*battery*", Quantity.BATTERY),
                QuantityRule.of("*kwh*", Quantity.ENERGY, "kWh"),
                QuantityRule.of("*energy*", Quantity.ENERGY),
                QuantityRule.of("*power*", Quantity.POWER),
                QuantityRule.of("*voltage*", Quantity.VOLTAGE),
                QuantityRule.of("*current*", Quantity.CURRENT),
                QuantityRule.of("*lel*", Quantity.GAS),
                QuantityRule.of("*face_velocity*", Quantity.AIR_VELOCITY),
                QuantityRule.of("*air_velocity*", Quantity.AIR_VELOCITY),
                QuantityRule.of("*airflow*", Quantity.AIR_VELOCITY)),
                List.of(
                        new BinaryRule("*status*", BinaryKind.IGNORE),
                        new BinaryRule("*motion*", BinaryKind.OCCUPANCY),
                        new BinaryRule("*occupancy*", BinaryKind.OCCUPANCY),
                        new BinaryRule("*occupied*", BinaryKind.OCCUPANCY),
                        new BinaryRule("*presence*", BinaryKind.OCCUPANCY),
                        new BinaryRule("*pir*", BinaryKind.OCCUPANCY),
                        new BinaryRule("*window*", BinaryKind.WINDOW),
                        new BinaryRule("*door*", BinaryKind.DOOR),
                        new BinaryRule("*contact*", BinaryKind.DOOR),
                        new BinaryRule("*smoke*", BinaryKind.SMOKE),
                        new BinaryRule("*gas*", BinaryKind.GAS),
                        new BinaryRule("*leak*", BinaryKind.WATER_LEAK),
                        new BinaryRule("*water*", BinaryKind.WATER_LEAK),
                        new BinaryRule("*flood*", BinaryKind.WATER_LEAK),
                        new BinaryRule("*tamper*", BinaryKind.TAMPER)));
    }
}

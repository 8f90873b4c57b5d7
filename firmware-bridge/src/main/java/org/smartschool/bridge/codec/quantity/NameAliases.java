package org.smartschool.bridge.codec.quantity;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.smartschool.bridge.model.Quantity;

/**
 * Which quantity, or which on/off meaning, a sensor's own name for a value stands for, by a fixed list of
 * aliases: the rule of codecs whose names are paths or URNs a device made up (SenML, LwM2M's application
 * types, Sparkplug metric names). Codecs whose channel names are configured per school (ESPHome object ids,
 * Homie properties) use the glob patterns of {@link NameRules} instead.
 *
 * <p>The rule: take the last segment of the name (after the
 * last {@code /} or {@code :}), then
 * <ol>
 *   <li>compact it (lower case, letters and digits only: {@code "PM2.5"} becomes {@code pm25},
 *       {@code "Air_Temperature"} becomes {@code airtemperature}) and look it up among the aliases;</li>
 *   <li>failing that, look up its last word (split on spaces, {@code _}, {@code -} and {@code .}):
 *       {@code "Supply Voltage"} is a voltage, {@code "room_temperature"} a temperature.</li>
 * </ol>
 * The aliases are every quantity id ({@code co2}, {@code pm25}, {@code air_velocity} ...) plus the common
 * spellings listed below. A name that matches nothing leaves the unit to decide
 * ({@link UnitConversions#impliedBy}).
 */
public final class NameAliases {
    private static final Map<String, Quantity> QUANTITY_ALIASES = new HashMap<>();
    private static final Map<String, BinaryKind> BINARY_ALIASES = new HashMap<>();
    /**
     * Names repeat message after message; the rule is a pure function, so its answers are cached. Bounded,
     * because names come from payloads any device can invent: the cache is emptied when full.
     */
    private static final int CACHE_LIMIT = 4096;
    private static final Map<String, Optional<Quantity>> QUANTITY_CACHE = new ConcurrentHashMap<>();

    static {
        for (Quantity quantity : Quantity.values()) {
            QUANTITY_ALIASES.put(compact(quantity.id()), quantity);
        }
        alias(Quantity.CO2, "carbondioxide", "eco2", "co2concentration");
        alias(Quantity.TEMPERATURE, "temp", "airtemperature", "roomtemperature", "ambienttemperature");
        alias(Quantity.HUMIDITY, "hum", "rh", "relativehumidity");
        alias(Quantity.ILLUMINANCE, "lux", "illuminancelux", "light", "lightlevel", "illumination");
        alias(Quantity.NOISE, "loudness", "sound", "soundlevel", "noiselevel", "spl", "laeq");
        alias(Quantity.PM25, "pm25concentration");
        alias(Quantity.PM10, "pm10concentration");
        alias(Quantity.VOC, "tvoc");
        alias(Quantity.PRESSURE, "airpressure", "barometricpressure", "baro", "atmosphericpressure");
        alias(Quantity.POWER, "activepower", "apower");
        alias(Quantity.ENERGY, "activeenergy", "aenergy");
        alias(Quantity.AIR_VELOCITY, "facevelocity", "velocity");
        alias(Quantity.GAS, "lel", "flammablegas");
        alias(Quantity.BATTERY, "batterylevel");
        alias(Quantity.LINK_QUALITY, "lqi");

        binary(BinaryKind.OCCUPANCY, "occupancy", "occupied", "presence", "motion", "pir");
        binary(BinaryKind.DOOR, "door", "open", "dooropen", "contact");
        binary(BinaryKind.WINDOW, "window", "windowopen");
        binary(BinaryKind.SMOKE, "smoke", "smokealarm");
        binary(BinaryKind.GAS, "gas", "gasalarm", "gasleak", "gasdetected");
        binary(BinaryKind.WATER_LEAK, "waterleak", "leak", "flood");
        binary(BinaryKind.TAMPER, "tamper");
    }

    private NameAliases() {
    }

    private static void alias(Quantity quantity, String... names) {
        for (String name : names) {
            QUANTITY_ALIASES.put(name, quantity);
        }
    }

    private static void binary(BinaryKind meaning, String... names) {
        for (String name : names) {
            BINARY_ALIASES.put(name, meaning);
        }
    }

    /** The quantity a name stands for, by the rule in the class comment. */
    public static Optional<Quantity> quantityOf(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Optional<Quantity> cached = QUANTITY_CACHE.get(name);
        if (cached == null) {
            cached = lookup(name, QUANTITY_ALIASES);
            if (QUANTITY_CACHE.size() >= CACHE_LIMIT) {
                QUANTITY_CACHE.clear();
            }
            QUANTITY_CACHE.put(name, cached);
        }
        return cached;
    }

    /** The on/off meaning of a boolean's name (occupancy, door, smoke ...), by the same rule. */
    public static Optional<BinaryKind> binaryKindOf(String name) {
        return lookup(name, BINARY_ALIASES);
    }

    private static <T> Optional<T> lookup(String name, Map<String, T> aliases) {
        if (name == null) {
            return Optional.empty();
        }
        String segment = lastSegment(name);
        T found = aliases.get(compact(segment));
        if (found == null) {
            found = aliases.get(compact(lastWord(segment)));
        }
        return Optional.ofNullable(found);
    }

    /** The part after the last {@code /} or {@code :} that is not empty ({@code "urn:dev:ow:10e2:temp"} gives {@code temp}). */
    public static String lastSegment(String name) {
        int end = name.length();
        while (end > 0 && isSeparator(name.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && !isSeparator(name.charAt(start - 1))) {
            start--;
        }
        return name.substring(start, end);
    }

    private static boolean isSeparator(char c) {
        return c == '/' || c == ':';
    }

    private static String lastWord(String segment) {
        int end = segment.length();
        int start = end;
        while (start > 0 && !isWordBreak(segment.charAt(start - 1))) {
            start--;
        }
        // a trailing "PM2.5" would break at its dot; the compacted whole segment has been tried first
        return segment.substring(start, end);
    }

    private static boolean isWordBreak(char c) {
        return c == ' ' || c == '_' || c == '-' || c == '.';
    }

    /** Lower case, letters and digits only. */
    public static String compact(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}

package org.smartschool.bridge.codec.serialline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.Quantity;

/**
 * How one family of microcontroller frames is written: which key means which quantity, the two
 * separators, and the checksum. Immutable; validated here, with messages naming the option.
 *
 * <p>Keys are matched case-insensitively (they are stored upper-case), because firmware authors
 * write {@code co2=} as often as {@code CO2=}. Several keys may map to one quantity (aliases); a
 * frame that carries two of them is a problem, not a silent choice.
 *
 * @param keys key as written in the frame -> the quantity its value is, in that quantity's canonical unit
 * @param ignoredKeys keys that are deliberately not decoded (a sequence number, a board id)
 * @param pairSeparator between key=value pairs, {@code ;} by default
 * @param keyValueSeparator between a key and its value, {@code =} by default
 * @param checksum the checksum after a '*' at the end of the frame
 * @param checksumRequired true: a frame without the checksum trailer is rejected; false: a frame
 *                         without one is decoded unverified, a frame with one is verified
 */
public record SerialLineOptions(Map<String, Quantity> keys, Set<String> ignoredKeys, String pairSeparator,
                                String keyValueSeparator, FrameChecksum checksum, boolean checksumRequired) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern SEPARATOR = Pattern.compile("[\\x21-\\x7E&&[^*$A-Za-z0-9_.\\-+]]{1,4}|[ \\t]");

    /** The keys the registry's standard instance understands. */
    public static final Map<String, Quantity> DEFAULT_KEYS = defaultKeys();

    public SerialLineOptions {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("serial-line option 'keys' must map at least one key to a quantity");
        }
        if (pairSeparator == null || !SEPARATOR.matcher(pairSeparator).matches()) {
            throw new IllegalArgumentException("serial-line option 'pairSeparator' must be 1-4 punctuation characters"
                    + " other than '*', '$', '.', '_', '-', '+' (or one space or tab)");
        }
        if (keyValueSeparator == null || !SEPARATOR.matcher(keyValueSeparator).matches()) {
            throw new IllegalArgumentException("serial-line option 'keyValueSeparator' must be 1-4 punctuation characters"
                    + " other than '*', '$', '.', '_', '-', '+' (or one space or tab)");
        }
        if (pairSeparator.contains(keyValueSeparator) || keyValueSeparator.contains(pairSeparator)) {
            throw new IllegalArgumentException("serial-line options 'pairSeparator' and 'keyValueSeparator' must differ"
                    + " and neither may contain the other");
        }
        if (checksum == null) {
            throw new IllegalArgumentException("serial-line option 'checksum' is missing: use NONE, NMEA_XOR or CRC16_MODBUS");
        }
        if (checksumRequired && checksum == FrameChecksum.NONE) {
            throw new IllegalArgumentException("serial-line option 'checksumRequired' needs a 'checksum' other than NONE");
        }
        Map<String, Quantity> normalized = new LinkedHashMap<>();
        keys.forEach((key, quantity) -> {
            String upper = requireKey("keys", key);
            if (quantity == null) {
                throw new IllegalArgumentException("serial-line option 'keys." + key + "' has no quantity");
            }
            if (normalized.put(upper, quantity) != null) {
                throw new IllegalArgumentException("serial-line option 'keys." + key
                        + "' repeats another key (keys are matched case-insensitively)");
            }
        });
        Set<String> ignored = new TreeSet<>();
        for (String key : ignoredKeys == null ? Set.<String>of() : ignoredKeys) {
            String upper = requireKey("ignoredKeys", key);
            if (normalized.containsKey(upper)) {
                throw new IllegalArgumentException("serial-line option 'ignoredKeys' lists '" + key
                        + "', which 'keys' maps to a quantity");
            }
            ignored.add(upper);
        }
        keys = Map.copyOf(normalized);
        ignoredKeys = Set.copyOf(ignored);
    }

    /**
     * What the registry's standard {@code serial-line} codec uses: the {@link #DEFAULT_KEYS}, frames
     * like {@code CO2=812;T=29.4;H=71}, and an NMEA {@code *HH} checksum verified when present.
     */
    public static SerialLineOptions defaults() {
        return new SerialLineOptions(DEFAULT_KEYS, Set.of(), ";", "=", FrameChecksum.NMEA_XOR, false);
    }

    public SerialLineOptions withKeys(Map<String, Quantity> newKeys) {
        return new SerialLineOptions(newKeys, ignoredKeys, pairSeparator, keyValueSeparator, checksum, checksumRequired);
    }

    public SerialLineOptions withIgnoredKeys(Set<String> newIgnoredKeys) {
        return new SerialLineOptions(keys, newIgnoredKeys, pairSeparator, keyValueSeparator, checksum, checksumRequired);
    }

    public SerialLineOptions withSeparators(String newPairSeparator, String newKeyValueSeparator) {
        return new SerialLineOptions(keys, ignoredKeys, newPairSeparator, newKeyValueSeparator, checksum, checksumRequired);
    }

    public SerialLineOptions withChecksum(FrameChecksum newChecksum, boolean required) {
        return new SerialLineOptions(keys, ignoredKeys, pairSeparator, keyValueSeparator, newChecksum, required);
    }

    /** The quantity a key of a frame stands for, matched case-insensitively; null when unknown. */
    Quantity quantityOf(String key) {
        return keys.get(key.toUpperCase(Locale.ROOT));
    }

    boolean isIgnored(String key) {
        return ignoredKeys.contains(key.toUpperCase(Locale.ROOT));
    }

    static boolean isWellFormedKey(String key) {
        return KEY.matcher(key).matches();
    }

    private static String requireKey(String option, String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("serial-line option '" + option + "' has key '" + key
                    + "': use 1-32 letters, digits, '_', '.' or '-'");
        }
        return key.toUpperCase(Locale.ROOT);
    }

    private static Map<String, Quantity> defaultKeys() {
        Map<String, Quantity> keys = new LinkedHashMap<>();
        keys.put("CO2", Quantity.CO2);
        keys.put("T", Quantity.TEMPERATURE);
        keys.put("H", Quantity.HUMIDITY);
        keys.put("PM25", Quantity.PM25);
        keys.put("PM10", Quantity.PM10);
        keys.put("LUX", Quantity.ILLUMINANCE);
        keys.put("NOISE", Quantity.NOISE);
        keys.put("VOC", Quantity.VOC);
        keys.put("P", Quantity.PRESSURE);
        keys.put("GAS", Quantity.GAS);
        keys.put("AIRV", Quantity.AIR_VELOCITY);
        keys.put("V", Quantity.VOLTAGE);
        keys.put("I", Quantity.CURRENT);
        keys.put("W", Quantity.POWER);
        keys.put("WH", Quantity.ENERGY);
        keys.put("BAT", Quantity.BATTERY);
        keys.put("RSSI", Quantity.RSSI);
        return Map.copyOf(keys);
    }
}

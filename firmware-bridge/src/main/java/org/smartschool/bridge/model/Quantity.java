package org.smartschool.bridge.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The closed set of quantities the system measures, each with its one canonical unit.
 *
 * <p>Unit names follow the SenML units registry (RFC 8428 section 12.1) where it has one, and
 * UCUM otherwise. Codecs convert to these units; nothing downstream converts again.
 */
public enum Quantity {
    CO2("co2", "ppm"),
    TEMPERATURE("temperature", "Cel"),
    HUMIDITY("humidity", "%RH"),
    ILLUMINANCE("illuminance", "lx"),
    /** A-weighted sound level. */
    NOISE("noise", "dBA"),
    PM25("pm25", "ug/m3"),
    PM10("pm10", "ug/m3"),
    /** Total volatile organic compounds. */
    VOC("voc", "ppb"),
    PRESSURE("pressure", "hPa"),
    POWER("power", "W"),
    ENERGY("energy", "Wh"),
    VOLTAGE("voltage", "V"),
    CURRENT("current", "A"),
    /** Fume hood face velocity, air flow. */
    AIR_VELOCITY("air_velocity", "m/s"),
    /** Flammable gas as a share of its lower explosive limit. */
    GAS("gas", "%LEL"),
    BATTERY("battery", "%"),
    /** Radio signal strength. */
    RSSI("rssi", "dBm"),
    /** Zigbee link quality indicator, 0-255, no unit. */
    LINK_QUALITY("link_quality", "1");

    private static final Map<String, Quantity> BY_ID =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Quantity::id, Function.identity()));

    private final String id;
    private final String unit;

    Quantity(String id, String unit) {
        this.id = id;
        this.unit = unit;
    }

    /** The name used on the wire, in topics, tags and the API ({@code co2}, {@code pm25}...). */
    public String id() {
        return id;
    }

    /** The canonical unit every reading of this quantity is expressed in. */
    public String unit() {
        return unit;
    }

    public static Optional<Quantity> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** @throws IllegalArgumentException naming the unknown quantity and listing the known ones */
    public static Quantity require(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("unknown quantity '"
                + (id == null ? "null" : Ids.printable(id)) + "': expected one of " + BY_ID.keySet().stream().sorted().toList()));
    }
}

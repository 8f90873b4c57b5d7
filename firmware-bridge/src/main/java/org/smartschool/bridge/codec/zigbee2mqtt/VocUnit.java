package org.smartschool.bridge.codec.zigbee2mqtt;

/**
 * The unit a Zigbee2MQTT installation's {@code voc} values are in.
 *
 * <p>The state message carries no unit, and Zigbee2MQTT's device definitions disagree: the generic
 * {@code voc} expose says ug/m3, the air-quality extension (Sensirion-based sensors) says ppb, and
 * the Tuya TS0601 air-quality boxes say ppm (zigbee-herdsman-converters src/lib/exposes.ts,
 * src/devices/tuya.ts). Parts per billion and parts per million differ by a fixed factor; ug/m3
 * cannot be converted to ppb for a mixture of unknown molar mass, so it is not offered.
 */
public enum VocUnit {
    /** The canonical unit: no conversion. */
    PPB(0),
    /** Tuya TS0601 air-quality boxes: multiplied by 1000. */
    PPM(3);

    private final int decimalShift;

    VocUnit(int decimalShift) {
        this.decimalShift = decimalShift;
    }

    /** Powers of ten to multiply by to reach ppb. */
    int decimalShift() {
        return decimalShift;
    }
}

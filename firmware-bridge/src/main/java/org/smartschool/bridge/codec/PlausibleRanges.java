package org.smartschool.bridge.codec;

import java.util.EnumMap;
import java.util.Map;

import org.smartschool.bridge.model.Quantity;

/**
 * The values a working sensor can report for each quantity, in its canonical unit. A value outside
 * its range is a faulty sensor, a unit mix-up (mV read as V, Fahrenheit as Celsius) or a corrupted
 * frame: codecs drop it and report a problem instead of storing a wrong value.
 *
 * <p>The bounds are the measuring ranges of the common sensors, not comfort limits (those are
 * school rules): a classroom at 45 Cel is alarming but possible; 300 Cel is not a classroom.
 * Every codec uses this one table.
 */
public final class PlausibleRanges {

    /** Inclusive bounds in the quantity's canonical unit. */
    public record Range(double min, double max) {
        public boolean contains(double value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return format(min) + ".." + format(max);
        }

        private static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }

    private static final Map<Quantity, Range> RANGES = new EnumMap<>(Quantity.class);

    static {
        // NDIR CO2 sensors (SCD30, SCD4x, MH-Z19) measure up to 40000 ppm (SCD30 data sheet)
        RANGES.put(Quantity.CO2, new Range(0, 40_000));
        // the operating range of SHT3x/BME280/DS18B20-class sensors
        RANGES.put(Quantity.TEMPERATURE, new Range(-40, 125));
        RANGES.put(Quantity.HUMIDITY, new Range(0, 100));
        // direct summer sunlight is about 100000-130000 lx
        RANGES.put(Quantity.ILLUMINANCE, new Range(0, 200_000));
        // a jet engine at 30 m is about 140 dB
        RANGES.put(Quantity.NOISE, new Range(0, 150));
        // laser particle counters (PMS5003, SDS011) saturate around 1000 ug/m3
        RANGES.put(Quantity.PM25, new Range(0, 1_000));
        RANGES.put(Quantity.PM10, new Range(0, 2_000));
        // SGP30-class TVOC sensors: 0-60000 ppb
        RANGES.put(Quantity.VOC, new Range(0, 60_000));
        // BME280/BMP280 measuring range
        RANGES.put(Quantity.PRESSURE, new Range(300, 1_100));
        // negative power is export (solar on the roof)
        RANGES.put(Quantity.POWER, new Range(-1_000_000, 1_000_000));
        // a cumulative meter; 10 GWh is more than a school uses in a lifetime
        RANGES.put(Quantity.ENERGY, new Range(0, 1e10));
        // mains up to 480 V three-phase; battery voltages in mV mistaken for V land above this
        RANGES.put(Quantity.VOLTAGE, new Range(0, 500));
        RANGES.put(Quantity.CURRENT, new Range(-1_000, 1_000));
        // fume hood face velocity is about 0.5 m/s; anemometers read up to about 50 m/s
        RANGES.put(Quantity.AIR_VELOCITY, new Range(0, 50));
        RANGES.put(Quantity.GAS, new Range(0, 100));
        RANGES.put(Quantity.BATTERY, new Range(0, 100));
        RANGES.put(Quantity.RSSI, new Range(-150, 20));
        // Zigbee LQI is one byte
        RANGES.put(Quantity.LINK_QUALITY, new Range(0, 255));
        for (Quantity q : Quantity.values()) {
            if (!RANGES.containsKey(q)) {
                throw new ExceptionInInitializerError("no plausible range for quantity " + q.id());
            }
        }
    }

    private PlausibleRanges() {
    }

    public static Range of(Quantity quantity) {
        return RANGES.get(quantity);
    }

    public static boolean isPlausible(Quantity quantity, double value) {
        return Double.isFinite(value) && RANGES.get(quantity).contains(value);
    }

    /**
     * Why {@code value} cannot be a real {@code quantity} reading, or null when it can.
     * The text fits a {@link DecodeProblem} message.
     */
    public static String problem(Quantity quantity, double value) {
        if (!Double.isFinite(value)) {
            return "not a finite number";
        }
        Range range = RANGES.get(quantity);
        if (range.contains(value)) {
            return null;
        }
        return quantity.id() + " " + value + " " + quantity.unit() + " is outside the plausible range "
                + range + " " + quantity.unit() + "; value dropped";
    }
}

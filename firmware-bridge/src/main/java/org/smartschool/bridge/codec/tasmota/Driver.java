package org.smartschool.bridge.codec.tasmota;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.Quantity;

/**
 * The Tasmota sensor drivers this codec reads, each with the JSON fields it publishes in
 * {@code tele/<topic>/SENSOR} and the quantity of each field. Field names are Tasmota's
 * {@code D_JSON_*} constants (i18n.h): {@code Temperature}, {@code Humidity}, {@code Pressure},
 * {@code CarbonDioxide}, {@code Illuminance}, {@code PM2.5}...
 *
 * <p>The declaration order is the preference when several drivers of one device report the same
 * quantity: dedicated, better sensors first (an SHT3X beats the temperature an SCD30 measures next
 * to its own lamp; an SCD40 beats an MH-Z19B for CO2). See {@link SensorPayload}.
 *
 * <p>Deliberately not read: {@code DewPoint} and {@code SeaPressure} (computed from other fields),
 * {@code eCO2} (the SCD's running average, not a measurement), the MH-Z19B's {@code Temperature}
 * (the sensor's own housing, several degrees off the room), the PMS5003's {@code CF*} "standard
 * particle" values and {@code PB*} particle counts (the {@code PM*} "atmospheric" values are the
 * concentrations), ENERGY's {@code Today}/{@code Yesterday}/{@code Period} (derived from
 * {@code Total}) and its apparent/reactive power and factor, and the ESP32's chip temperature.
 */
enum Driver {
    SHT3X("SHT3X|SHT4X|HTU21", Field.TEMPERATURE, Field.HUMIDITY),
    SCD40("SCD40|SCD41", Field.CO2, Field.TEMPERATURE, Field.HUMIDITY),
    SCD30("SCD30", Field.CO2, Field.TEMPERATURE, Field.HUMIDITY),
    BME280("BME280|BMP280|BME680", Field.TEMPERATURE, Field.HUMIDITY, Field.PRESSURE),
    AM2301("AM2301|AM2302|AM2321|DHT21|DHT22|SI7021", Field.TEMPERATURE, Field.HUMIDITY),
    DHT11("DHT11", Field.TEMPERATURE, Field.HUMIDITY),
    DS18X20("DS18B20|DS18S20|DS1822|MAX31850", Field.TEMPERATURE),
    MHZ19B("MHZ19B|MHZ19", Field.CO2),
    PMS5003("PMS5003|PMS3003|PMS7003", Field.PM25, Field.PM10),
    SDS0X1("SDS0X1", Field.PM25, Field.PM10),
    BH1750("BH1750", Field.ILLUMINANCE),
    ENERGY("ENERGY", Field.POWER, Field.ENERGY_TOTAL, Field.VOLTAGE, Field.CURRENT);

    /** How a field's number becomes a canonical value. */
    enum Conversion { PLAIN, TEMPERATURE, PRESSURE, KILO }

    /** One JSON field of a driver object. */
    enum Field {
        TEMPERATURE("Temperature", Quantity.TEMPERATURE, Conversion.TEMPERATURE),
        HUMIDITY("Humidity", Quantity.HUMIDITY, Conversion.PLAIN),
        PRESSURE("Pressure", Quantity.PRESSURE, Conversion.PRESSURE),
        CO2("CarbonDioxide", Quantity.CO2, Conversion.PLAIN),
        PM25("PM2.5", Quantity.PM25, Conversion.PLAIN),
        PM10("PM10", Quantity.PM10, Conversion.PLAIN),
        ILLUMINANCE("Illuminance", Quantity.ILLUMINANCE, Conversion.PLAIN),
        POWER("Power", Quantity.POWER, Conversion.PLAIN),
        /** kWh in Tasmota; Wh canonical. */
        ENERGY_TOTAL("Total", Quantity.ENERGY, Conversion.KILO),
        VOLTAGE("Voltage", Quantity.VOLTAGE, Conversion.PLAIN),
        CURRENT("Current", Quantity.CURRENT, Conversion.PLAIN);

        final String json;
        final Quantity quantity;
        final Conversion conversion;

        Field(String json, Quantity quantity, Conversion conversion) {
            this.json = json;
            this.quantity = quantity;
            this.conversion = conversion;
        }
    }

    private final Pattern key;
    final List<Field> fields;

    Driver(String names, Field... fields) {
        // several sensors of one driver get a suffix: DS18B20-1, AM2301-14 (GPIO), SHT3X-0x45 (I2C address)
        this.key = Pattern.compile("(?:" + names + ")(?:-([0-9A-Za-z]{1,12}))?");
        this.fields = List.of(fields);
    }

    /** The driver that publishes an object under {@code key}, or null for keys this codec does not read. */
    static Driver of(String key) {
        Optional<Driver> cached = BY_KEY.get(key);
        if (cached != null) {
            return cached.orElse(null);
        }
        Driver found = null;
        String upper = key.toUpperCase(Locale.ROOT);
        for (Driver d : values()) {
            if (d.key.matcher(upper).matches()) {
                found = d;
                break;
            }
        }
        if (BY_KEY.size() >= CACHE_LIMIT) {
            BY_KEY.clear(); // keys come from devices: keep the cache bounded
        }
        BY_KEY.put(key, Optional.ofNullable(found));
        return found;
    }

    private static final int CACHE_LIMIT = 1024;
    private static final Map<String, Optional<Driver>> BY_KEY = new ConcurrentHashMap<>();

    /**
     * Orders sensors of one driver: the unsuffixed one first, then numeric suffixes in order
     * (DS18B20-1 before DS18B20-2 before DS18B20-10), then other suffixes alphabetically.
     */
    static int compareSuffix(String keyA, String keyB) {
        String a = suffix(keyA);
        String b = suffix(keyB);
        if (a.equals(b)) {
            return 0;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() ? -1 : 1;
        }
        boolean numA = a.chars().allMatch(Character::isDigit);
        boolean numB = b.chars().allMatch(Character::isDigit);
        if (numA && numB) {
            int byLength = Integer.compare(a.length(), b.length());
            return byLength != 0 ? byLength : a.compareTo(b);
        }
        return numA != numB ? (numA ? -1 : 1) : a.compareTo(b);
    }

    private static String suffix(String key) {
        Driver d = of(key);
        if (d == null) {
            return key;
        }
        Matcher m = d.key.matcher(key.toUpperCase(Locale.ROOT));
        return m.matches() && m.group(1) != null ? m.group(1) : "";
    }
}

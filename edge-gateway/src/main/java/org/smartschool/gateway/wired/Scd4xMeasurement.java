package org.smartschool.gateway.wired;

/**
 * One SCD4x measurement, decoded from the 9 bytes {@code read_measurement} (0xEC05) returns: three
 * big-endian words (CO2, temperature, humidity), each followed by its {@link SensirionCrc8 CRC-8}.
 * Conversions from the SCD4x datasheet: CO2 = word ppm; T = -45 + 175 * word / 65535 (degrees C);
 * RH = 100 * word / 65535 (%).
 */
public record Scd4xMeasurement(int co2Ppm, double temperatureCelsius, double humidityPercent) {

    /** Bytes of a {@code read_measurement} answer. */
    public static final int RESPONSE_BYTES = 9;

    /**
     * @throws CrcMismatchException naming the word whose CRC does not match: the whole sample is unusable
     */
    public static Scd4xMeasurement decode(byte[] response) throws CrcMismatchException {
        if (response.length != RESPONSE_BYTES) {
            throw new IllegalArgumentException("read_measurement answers 9 bytes, got " + response.length);
        }
        int co2 = word(response, 0, "co2");
        int temperature = word(response, 3, "temperature");
        int humidity = word(response, 6, "humidity");
        return new Scd4xMeasurement(co2, -45 + 175.0 * temperature / 65535, 100.0 * humidity / 65535);
    }

    /** The word at {@code offset}, its CRC checked. */
    static int word(byte[] bytes, int offset, String name) throws CrcMismatchException {
        int crc = SensirionCrc8.of(bytes, offset, 2);
        int sent = bytes[offset + 2] & 0xFF;
        if (crc != sent) {
            throw new CrcMismatchException(String.format("CRC of the %s word is 0x%02X, the sensor sent 0x%02X", name, crc, sent));
        }
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    /** A word from the sensor whose CRC-8 does not match: noise on the bus, a loose wire. */
    public static final class CrcMismatchException extends Exception {
        private static final long serialVersionUID = 1L;

        public CrcMismatchException(String message) {
            super(message, null, false, false);
        }
    }
}

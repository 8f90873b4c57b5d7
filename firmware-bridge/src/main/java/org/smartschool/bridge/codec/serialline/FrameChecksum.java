package org.smartschool.bridge.codec.serialline;

/**
 * The checksum a serial frame may carry after a '*': how it is computed and how many hex digits it has.
 *
 * <p>Both are computed over the frame's ASCII bytes after an optional leading '$' and before the '*',
 * and written as upper- or lower-case hex, most significant digit first.
 */
public enum FrameChecksum {
    /** No checksum: a '*' is an ordinary character of the frame. */
    NONE(0),
    /**
     * NMEA 0183 style: the 8-bit XOR of every byte between '$' and '*', as two hex digits
     * ({@code $GPRMC,...,200407,,*28}). Cheap enough for the smallest AVR; catches any single-bit error.
     */
    NMEA_XOR(2),
    /**
     * CRC-16/MODBUS (poly 0x8005 reflected, init 0xFFFF, no final XOR; check value 0x4B37 for
     * "123456789"), as four hex digits. Catches swapped characters and burst errors that XOR misses;
     * every Arduino Modbus library already has it.
     */
    CRC16_MODBUS(4);

    private final int hexDigits;

    FrameChecksum(int hexDigits) {
        this.hexDigits = hexDigits;
    }

    /** Length of the hex trailer after the '*'; 0 for {@link #NONE}. */
    public int hexDigits() {
        return hexDigits;
    }

    /** The checksum of {@code bytes[from, to)}. */
    public int compute(byte[] bytes, int from, int to) {
        return switch (this) {
            case NONE -> 0;
            case NMEA_XOR -> xor(bytes, from, to);
            case CRC16_MODBUS -> crc16Modbus(bytes, from, to);
        };
    }

    /** The checksum as this kind writes it: upper-case hex, zero-padded to {@link #hexDigits()}. */
    public String format(int value) {
        return hexDigits == 0 ? "" : String.format("%0" + hexDigits + "X", value);
    }

    private static int xor(byte[] bytes, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum ^= bytes[i] & 0xFF;
        }
        return sum;
    }

    private static int crc16Modbus(byte[] bytes, int from, int to) {
        int crc = 0xFFFF;
        for (int i = from; i < to; i++) {
            crc ^= bytes[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }
}

package org.smartschool.gateway.wired;

/**
 * The CRC-8 that Sensirion sensors (SCD4x, SCD30, SHT4x) append to every 16-bit word they send and
 * expect after every word they receive: polynomial 0x31 (x^8 + x^5 + x^4 + 1), initial value 0xFF,
 * no reflection, no final XOR. The datasheet's check value: word 0xBEEF gives 0x92.
 */
public final class SensirionCrc8 {
    private SensirionCrc8() {
    }

    /** The CRC of {@code length} bytes from {@code offset}. */
    public static int of(byte[] bytes, int offset, int length) {
        int crc = 0xFF;
        for (int i = offset; i < offset + length; i++) {
            crc ^= bytes[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }

    /** The CRC of one big-endian 16-bit word, as the sensor sends it. */
    public static int ofWord(int word) {
        return of(new byte[] {(byte) (word >>> 8), (byte) word}, 0, 2);
    }
}

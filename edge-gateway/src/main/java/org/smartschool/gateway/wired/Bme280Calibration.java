package org.smartschool.gateway.wired;

/**
 * The trimming parameters every BME280 carries in its NVM (datasheet section 4.2.2, table 16):
 * 26 bytes at 0x88..0xA1 (temperature, pressure, dig_H1) and 7 bytes at 0xE1..0xE7 (the rest of
 * humidity). Words are little-endian; dig_H4 and dig_H5 are 12-bit signed values sharing 0xE5.
 */
public record Bme280Calibration(int t1, int t2, int t3,
                                int p1, int p2, int p3, int p4, int p5, int p6, int p7, int p8, int p9,
                                int h1, int h2, int h3, int h4, int h5, int h6) {

    /** Length of the block at 0x88..0xA1. */
    public static final int BLOCK1_BYTES = 26;
    /** Length of the block at 0xE1..0xE7. */
    public static final int BLOCK2_BYTES = 7;

    /**
     * @param block1 the 26 bytes read from 0x88
     * @param block2 the 7 bytes read from 0xE1
     */
    public static Bme280Calibration parse(byte[] block1, byte[] block2) {
        if (block1.length != BLOCK1_BYTES || block2.length != BLOCK2_BYTES) {
            throw new IllegalArgumentException("BME280 calibration is 26 + 7 bytes, got " + block1.length + " + " + block2.length);
        }
        int e4 = block2[3]; // signed: the upper 8 bits of dig_H4
        int e5 = block2[4] & 0xFF;
        int e6 = block2[5]; // signed: the upper 8 bits of dig_H5
        return new Bme280Calibration(
                u16(block1, 0), s16(block1, 2), s16(block1, 4),
                u16(block1, 6), s16(block1, 8), s16(block1, 10), s16(block1, 12), s16(block1, 14),
                s16(block1, 16), s16(block1, 18), s16(block1, 20), s16(block1, 22),
                block1[25] & 0xFF,
                s16(block2, 0),
                block2[2] & 0xFF,
                (e4 << 4) | (e5 & 0x0F),
                (e6 << 4) | (e5 >> 4),
                block2[6]);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static int s16(byte[] b, int at) {
        return (short) u16(b, at);
    }
}

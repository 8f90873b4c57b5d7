package org.smartschool.bridge.codec.cardreader;

/**
 * A Wiegand 26 (HID H10301) or 34-bit frame whose parity bits checked out.
 *
 * <p>Layout, most significant (first transmitted) bit first: bit 0 is an even parity bit over the
 * first half of the data bits, the last bit an odd parity bit over the second half; between them
 * the data: 26-bit = 8-bit facility code + 16-bit card number, 34-bit = 16-bit facility code +
 * 16-bit card number.
 *
 * @param bitCount 26 or 34
 * @param facility the facility (site) code
 * @param cardNumber the card number within the facility; personal data, like the uid
 * @param uid the data bits (parity stripped) as upper-case hex: 6 digits for 26-bit, 8 for 34-bit
 */
record WiegandFrame(int bitCount, int facility, int cardNumber, String uid) {

    /**
     * @param bits the frame as '0'/'1' characters, first transmitted bit first
     * @throws CardFormatException naming the length or the failed parity, never the bits
     */
    static WiegandFrame fromBits(int bitCount, String bits) throws CardFormatException {
        requireSupported(bitCount);
        if (bits.length() != bitCount) {
            throw new CardFormatException("Wiegand " + bitCount + " frame carries " + bits.length() + " bits");
        }
        long value = 0;
        for (int i = 0; i < bits.length(); i++) {
            char c = bits.charAt(i);
            if (c != '0' && c != '1') {
                throw new CardFormatException("Wiegand bits must be '0' or '1'; position " + i + " is not");
            }
            value = value << 1 | (c - '0');
        }
        return fromValue(bitCount, value);
    }

    /**
     * @param value the whole frame, parity bits included, as an unsigned number (bit 0 of the frame
     *              is the most significant of {@code bitCount} bits)
     */
    static WiegandFrame fromValue(int bitCount, long value) throws CardFormatException {
        requireSupported(bitCount);
        if (value < 0 || value >>> bitCount != 0) {
            throw new CardFormatException("Wiegand " + bitCount + " value does not fit in " + bitCount + " bits");
        }
        int dataBits = bitCount - 2;
        int half = dataBits / 2;
        long data = (value >>> 1) & ((1L << dataBits) - 1);
        int evenParity = (int) (value >>> (bitCount - 1)) & 1;
        int oddParity = (int) value & 1;
        long firstHalf = data >>> half;
        long secondHalf = data & ((1L << half) - 1);
        if ((Long.bitCount(firstHalf) + evenParity) % 2 != 0) {
            throw new CardFormatException("Wiegand " + bitCount + " frame fails its even parity check (first bit over data bits 1-"
                    + half + ")");
        }
        if ((Long.bitCount(secondHalf) + oddParity) % 2 != 1) {
            throw new CardFormatException("Wiegand " + bitCount + " frame fails its odd parity check (last bit over data bits "
                    + (half + 1) + "-" + dataBits + ")");
        }
        int facility = (int) (data >>> 16);
        int cardNumber = (int) (data & 0xFFFF);
        String uid = String.format("%0" + dataBits / 4 + "X", data);
        return new WiegandFrame(bitCount, facility, cardNumber, uid);
    }

    private static void requireSupported(int bitCount) throws CardFormatException {
        if (bitCount != 26 && bitCount != 34) {
            throw new CardFormatException("Wiegand frame of " + bitCount + " bits: only 26 and 34-bit frames are supported");
        }
    }
}

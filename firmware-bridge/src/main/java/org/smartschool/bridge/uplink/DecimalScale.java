package org.smartschool.bridge.uplink;

/**
 * Writes a double as an integer mantissa and a decimal exponent when that is lossless.
 *
 * <p>Sensors send decimals (29.4 C, 1013.2 hPa, 612 ppm). As doubles they cost 9 bytes in CBOR
 * and compress badly; as {@code 294 x 10^-1} they cost one or two bytes once consecutive
 * mantissas are delta-encoded. The decoder computes {@code mantissa / 10^decimals} in IEEE double
 * arithmetic; with |mantissa| <= 2^53 and decimals <= 22 both operands are exact doubles, so the
 * quotient is the correctly rounded decimal. The encoder checks each value with exactly that
 * expression, bit for bit, so a value that would not come back identical is never scaled.
 */
final class DecimalScale {
    /** 10^22 is the largest power of ten a double holds exactly. */
    static final int MAX_DECIMALS = 22;
    /** Every integer of at most this magnitude is an exact double. */
    static final long MAX_MANTISSA = 1L << 53;
    /** Returned when no number of decimals reproduces a value exactly (0.1 + 0.2, 1e300, -0.0). */
    static final int NOT_DECIMAL = -1;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    private DecimalScale() {
    }

    /** The fewest decimals (0..22) that reproduce {@code value} exactly, or {@link #NOT_DECIMAL}. */
    static int decimalsOf(double value) {
        for (int decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
            double scaled = value * POW10[decimals];
            if (!(Math.abs(scaled) <= MAX_MANTISSA)) {
                return NOT_DECIMAL; // more decimals only make it larger (also rejects NaN, infinities)
            }
            if (sameBits(value(Math.round(scaled), decimals), value)) {
                return decimals;
            }
        }
        return NOT_DECIMAL;
    }

    /**
     * The mantissa of {@code value} at {@code decimals}, or {@link Long#MIN_VALUE} when
     * {@code mantissa / 10^decimals} would not give back exactly {@code value}.
     */
    static long mantissa(double value, int decimals) {
        double scaled = value * POW10[decimals];
        if (!(Math.abs(scaled) <= MAX_MANTISSA)) {
            return Long.MIN_VALUE;
        }
        long mantissa = Math.round(scaled);
        return sameBits(value(mantissa, decimals), value) ? mantissa : Long.MIN_VALUE;
    }

    /** The decoder's formula. Callers keep |mantissa| <= 2^53 and 0 <= decimals <= 22. */
    static double value(long mantissa, int decimals) {
        return mantissa / POW10[decimals];
    }

    /** Bit equality: tells -0.0 from 0.0, as {@code Reading.equals} does. */
    private static boolean sameBits(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }
}

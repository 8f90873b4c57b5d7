package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DecimalScaleTest {

    @Test
    void sensorDecimalsNeedTheirOwnNumberOfDecimals() {
        assertThat(DecimalScale.decimalsOf(612)).isZero();
        assertThat(DecimalScale.decimalsOf(29.4)).isEqualTo(1);
        assertThat(DecimalScale.decimalsOf(-273.15)).isEqualTo(2);
        assertThat(DecimalScale.decimalsOf(0.000123)).isEqualTo(6);
        assertThat(DecimalScale.decimalsOf(1e-22)).isEqualTo(22);
        assertThat(DecimalScale.decimalsOf(0.0)).isZero();
        assertThat(DecimalScale.mantissa(29.4, 1)).isEqualTo(294);
        assertThat(DecimalScale.mantissa(29.4, 3)).isEqualTo(29_400);
    }

    @Test
    void valuesThatAreNotShortDecimalsAreLeftAsFloats() {
        assertThat(DecimalScale.decimalsOf(0.1 + 0.2)).isEqualTo(DecimalScale.NOT_DECIMAL);
        assertThat(DecimalScale.decimalsOf(1e300)).isEqualTo(DecimalScale.NOT_DECIMAL);
        assertThat(DecimalScale.decimalsOf(Double.MIN_VALUE)).isEqualTo(DecimalScale.NOT_DECIMAL);
        assertThat(DecimalScale.decimalsOf(-0.0)).as("-0.0 would come back as 0.0").isEqualTo(DecimalScale.NOT_DECIMAL);
        assertThat(DecimalScale.decimalsOf(Double.NaN)).isEqualTo(DecimalScale.NOT_DECIMAL);
        assertThat(DecimalScale.decimalsOf(Double.POSITIVE_INFINITY)).isEqualTo(DecimalScale.NOT_DECIMAL);
        assertThat(DecimalScale.decimalsOf(9_007_199_254_740_993.0 * 2)).isEqualTo(DecimalScale.NOT_DECIMAL);
        assertThat(DecimalScale.mantissa(0.1 + 0.2, 1)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void everyDecimalWithUpToNineDigitsComesBackExactly() {
        Random random = new Random(8);
        for (int i = 0; i < 200_000; i++) {
            int decimals = random.nextInt(7);
            long unscaled = random.nextInt(2_000_000_001) - 1_000_000_000L;
            double value = new BigDecimal(unscaled).movePointLeft(decimals).doubleValue();

            int found = DecimalScale.decimalsOf(value);

            assertThat(found).as("%s", value).isBetween(0, decimals);
            assertThat(DecimalScale.value(DecimalScale.mantissa(value, found), found)).isEqualTo(value);
            assertThat(DecimalScale.value(DecimalScale.mantissa(value, decimals), decimals)).isEqualTo(value);
        }
    }

    @Test
    void aScaledValueIsAlwaysBitIdenticalToTheOriginal() {
        Random random = new Random(9);
        for (int i = 0; i < 200_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (random.nextBoolean()) {
                value = Math.scalb(random.nextDouble() - 0.5, random.nextInt(80) - 40);
            }
            int decimals = DecimalScale.decimalsOf(value);
            if (decimals != DecimalScale.NOT_DECIMAL) {
                assertThat(Double.doubleToRawLongBits(DecimalScale.value(DecimalScale.mantissa(value, decimals), decimals)))
                        .as("%s", value).isEqualTo(Double.doubleToRawLongBits(value));
            }
        }
    }
}

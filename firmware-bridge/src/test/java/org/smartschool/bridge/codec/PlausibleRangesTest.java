package org.smartschool.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.model.Quantity;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlausibleRangesTest {

    @Test
    void everyQuantityHasARangeThatHoldsItsEverydayValues() {
        for (Quantity q : Quantity.values()) {
            assertThat(PlausibleRanges.of(q)).as(q.id()).isNotNull();
            assertThat(PlausibleRanges.of(q).min()).isLessThan(PlausibleRanges.of(q).max());
        }
        assertThat(PlausibleRanges.isPlausible(Quantity.CO2, 812)).isTrue();
        assertThat(PlausibleRanges.isPlausible(Quantity.TEMPERATURE, 29.4)).isTrue();
        assertThat(PlausibleRanges.isPlausible(Quantity.PRESSURE, 1008)).isTrue();
        assertThat(PlausibleRanges.isPlausible(Quantity.VOLTAGE, 230)).isTrue();
        assertThat(PlausibleRanges.isPlausible(Quantity.RSSI, -71)).isTrue();
    }

    @Test
    void boundsAreInclusiveAndNonFiniteIsNeverPlausible() {
        assertThat(PlausibleRanges.isPlausible(Quantity.TEMPERATURE, -40)).isTrue();
        assertThat(PlausibleRanges.isPlausible(Quantity.TEMPERATURE, 125)).isTrue();
        assertThat(PlausibleRanges.isPlausible(Quantity.TEMPERATURE, 125.01)).isFalse();
        assertThat(PlausibleRanges.isPlausible(Quantity.HUMIDITY, 100.5)).isFalse();
        assertThat(PlausibleRanges.isPlausible(Quantity.CO2, 40_001)).isFalse();
        assertThat(PlausibleRanges.isPlausible(Quantity.CO2, Double.NaN)).isFalse();
        assertThat(PlausibleRanges.isPlausible(Quantity.ENERGY, Double.POSITIVE_INFINITY)).isFalse();
    }

    @Test
    void problemNamesTheValueTheUnitAndTheRange() {
        assertThat(PlausibleRanges.problem(Quantity.HUMIDITY, 120))
                .isEqualTo("humidity 120.0 %RH is outside the plausible range 0..100 %RH; value dropped");
        assertThat(PlausibleRanges.problem(Quantity.HUMIDITY, 55)).isNull();
        assertThat(PlausibleRanges.problem(Quantity.HUMIDITY, Double.NaN)).isEqualTo("not a finite number");
    }
}

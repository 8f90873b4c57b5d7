package org.smartschool.bridge.codec.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import org.smartschool.bridge.model.Quantity;

class UnitConversionTest {

    @Test
    void convertsTemperaturesToCelsius() {
        assertThat(UnitConversion.toCanonical(Quantity.TEMPERATURE, "°F", 98.6).getAsDouble()).isCloseTo(37.0, within(1e-9));
        assertThat(UnitConversion.toCanonical(Quantity.TEMPERATURE, "K", 300.15).getAsDouble()).isCloseTo(27.0, within(1e-9));
        assertThat(UnitConversion.toCanonical(Quantity.TEMPERATURE, "ºC", 21.5).getAsDouble()).isEqualTo(21.5);
        assertThat(UnitConversion.toCanonical(Quantity.TEMPERATURE, "Cel", 21.5).getAsDouble()).isEqualTo(21.5);
    }

    @Test
    void convertsPressureEnergyCurrentAndVoc() {
        assertThat(UnitConversion.toCanonical(Quantity.PRESSURE, "mmHg", 760).getAsDouble()).isCloseTo(1013.25, within(0.001));
        assertThat(UnitConversion.toCanonical(Quantity.PRESSURE, "inHg", 29.92).getAsDouble()).isCloseTo(1013.2, within(0.1));
        assertThat(UnitConversion.toCanonical(Quantity.PRESSURE, "Pa", 101325).getAsDouble()).isCloseTo(1013.25, within(1e-9));
        assertThat(UnitConversion.toCanonical(Quantity.ENERGY, "kWh", 2.5).getAsDouble()).isCloseTo(2500, within(1e-9));
        assertThat(UnitConversion.toCanonical(Quantity.CURRENT, "mA", 125).getAsDouble()).isCloseTo(0.125, within(1e-12));
        assertThat(UnitConversion.toCanonical(Quantity.VOC, "ppm", 0.25).getAsDouble()).isCloseTo(250, within(1e-9));
        assertThat(UnitConversion.toCanonical(Quantity.PM25, "μg/m³", 12).getAsDouble()).isEqualTo(12);
    }

    @Test
    void refusesAUnitThatIsNotOneOfTheQuantity() {
        assertThat(UnitConversion.toCanonical(Quantity.TEMPERATURE, "%", 40)).isEmpty();
        assertThat(UnitConversion.toCanonical(Quantity.CURRENT, "MA", 1)).isEmpty();
        assertThat(UnitConversion.toCanonical(Quantity.CO2, null, 1)).isEmpty();
        assertThat(UnitConversion.fits(Quantity.HUMIDITY, "%")).isTrue();
        assertThat(UnitConversion.fits(Quantity.HUMIDITY, "ppm")).isFalse();
    }

    @Test
    void namesAQuantityOnlyForUnitsNoOtherQuantityShares() {
        assertThat(UnitConversion.quantityOf("°F")).contains(Quantity.TEMPERATURE);
        assertThat(UnitConversion.quantityOf("lx")).contains(Quantity.ILLUMINANCE);
        assertThat(UnitConversion.quantityOf("kWh")).contains(Quantity.ENERGY);
        assertThat(UnitConversion.quantityOf("%")).isEmpty();
        assertThat(UnitConversion.quantityOf("ppm")).isEmpty();
        assertThat(UnitConversion.quantityOf("ug/m3")).isEmpty();
        assertThat(UnitConversion.quantityOf("furlong")).isEmpty();
    }
}

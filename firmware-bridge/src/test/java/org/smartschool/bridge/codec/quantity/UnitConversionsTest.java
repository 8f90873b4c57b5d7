package org.smartschool.bridge.codec.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.model.Quantity;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class UnitConversionsTest {

    @Test
    void convertsTemperaturesToCelsius() {
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "°F", 98.6).getAsDouble()).isCloseTo(37.0, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "ºF", 98.6).getAsDouble()).isCloseTo(37.0, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "F", 212).getAsDouble()).isCloseTo(100, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "K", 300.15).getAsDouble()).isCloseTo(27.0, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "K", 273.15).getAsDouble()).isCloseTo(0, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "ºC", 21.5).getAsDouble()).isEqualTo(21.5);
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "Cel", 21.5).getAsDouble()).isEqualTo(21.5);
    }

    @Test
    void convertsPressureEnergyCurrentAndVoc() {
        assertThat(UnitConversions.toCanonical(Quantity.PRESSURE, "mmHg", 760).getAsDouble()).isCloseTo(1013.25, within(0.001));
        assertThat(UnitConversions.toCanonical(Quantity.PRESSURE, "inHg", 29.92).getAsDouble()).isCloseTo(1013.2, within(0.1));
        assertThat(UnitConversions.toCanonical(Quantity.PRESSURE, "psi", 14.696).getAsDouble()).isCloseTo(1013.25, within(0.01));
        assertThat(UnitConversions.toCanonical(Quantity.PRESSURE, "Pa", 101325).getAsDouble()).isCloseTo(1013.25, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.PRESSURE, "bar", 1.01325).getAsDouble()).isCloseTo(1013.25, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.ENERGY, "kWh", 2.5).getAsDouble()).isCloseTo(2500, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.ENERGY, "kWh", 1.5).getAsDouble()).isEqualTo(1500);
        assertThat(UnitConversions.toCanonical(Quantity.ENERGY, "J", 36_000).getAsDouble()).isCloseTo(10, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.ENERGY, "kJ", 36).getAsDouble()).isCloseTo(10, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.CURRENT, "mA", 125).getAsDouble()).isCloseTo(0.125, within(1e-12));
        assertThat(UnitConversions.toCanonical(Quantity.POWER, "mW", 1500).getAsDouble()).isCloseTo(1.5, within(1e-12));
        assertThat(UnitConversions.toCanonical(Quantity.VOC, "ppm", 0.25).getAsDouble()).isCloseTo(250, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.PM25, "μg/m³", 12).getAsDouble()).isEqualTo(12);
    }

    @Test
    void convertsSenmlRegistryUnitsScopedByQuantity() {
        assertThat(UnitConversions.toCanonical(Quantity.CO2, "%", 0.1).getAsDouble()).isCloseTo(1000, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.CO2, "/", 0.0008).getAsDouble()).isCloseTo(800, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.NOISE, "Bspl", 4.5).getAsDouble()).isCloseTo(45, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.ILLUMINANCE, "klx", 0.3).getAsDouble()).isCloseTo(300, within(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.RSSI, "dBW", -100).getAsDouble()).isEqualTo(-70);
        assertThat(UnitConversions.toCanonical(Quantity.HUMIDITY, "lx", 1)).isEmpty();
        assertThat(UnitConversions.toCanonical(Quantity.POWER, "MW", 1)).isEmpty();
    }

    @Test
    void refusesAUnitThatIsNotOneOfTheQuantity() {
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "%", 40)).isEmpty();
        assertThat(UnitConversions.toCanonical(Quantity.CURRENT, "MA", 1)).isEmpty();
        assertThat(UnitConversions.toCanonical(Quantity.CO2, null, 1)).isEmpty();
        assertThat(UnitConversions.accepts(Quantity.HUMIDITY, "%")).isTrue();
        assertThat(UnitConversions.accepts(Quantity.HUMIDITY, "ppm")).isFalse();
        assertThat(UnitConversions.accepts(Quantity.HUMIDITY, null)).isFalse();
    }

    @Test
    void takesAMissingUnitAsTheCanonicalOneOnlyWhereTheFormatSaysSo() {
        assertThat(UnitConversions.toCanonicalUnitOptional(Quantity.TEMPERATURE, null, 21.5).getAsDouble()).isEqualTo(21.5);
        assertThat(UnitConversions.toCanonicalUnitOptional(Quantity.CO2, "", 800).getAsDouble()).isEqualTo(800);
        assertThat(UnitConversions.toCanonicalUnitOptional(Quantity.TEMPERATURE, "K", 273.15).getAsDouble()).isCloseTo(0, within(1e-9));
        assertThat(UnitConversions.toCanonicalUnitOptional(Quantity.HUMIDITY, "lx", 1)).isEmpty();
    }

    @Test
    void impliesAQuantityOnlyFromUnambiguousUnits() {
        assertThat(UnitConversions.impliedBy("Cel")).contains(Quantity.TEMPERATURE);
        assertThat(UnitConversions.impliedBy("K")).contains(Quantity.TEMPERATURE);
        assertThat(UnitConversions.impliedBy("ppm")).contains(Quantity.CO2);
        assertThat(UnitConversions.impliedBy("dB")).contains(Quantity.NOISE);
        assertThat(UnitConversions.impliedBy("%EL")).contains(Quantity.BATTERY);
        assertThat(UnitConversions.impliedBy("kWh")).contains(Quantity.ENERGY);
        assertThat(UnitConversions.impliedBy("mmHg")).contains(Quantity.PRESSURE);
        for (String ambiguous : new String[] {"%", "/", "ug/m3", "F", "C", "lon", "", null}) {
            assertThat(UnitConversions.impliedBy(ambiguous)).as(String.valueOf(ambiguous)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void namesAQuantityOnlyForUnitsNoOtherQuantityShares() {
        assertThat(UnitConversions.unambiguousQuantityOf("°F")).contains(Quantity.TEMPERATURE);
        assertThat(UnitConversions.unambiguousQuantityOf("lx")).contains(Quantity.ILLUMINANCE);
        assertThat(UnitConversions.unambiguousQuantityOf("kWh")).contains(Quantity.ENERGY);
        assertThat(UnitConversions.unambiguousQuantityOf("ppb")).contains(Quantity.VOC);
        assertThat(UnitConversions.unambiguousQuantityOf("%")).isEmpty();
        assertThat(UnitConversions.unambiguousQuantityOf("ppm")).isEmpty();
        assertThat(UnitConversions.unambiguousQuantityOf("dB")).isEmpty();
        assertThat(UnitConversions.unambiguousQuantityOf("ug/m3")).isEmpty();
        assertThat(UnitConversions.unambiguousQuantityOf("furlong")).isEmpty();
        assertThat(UnitConversions.unambiguousQuantityOf(null)).isEmpty();
    }

    @Test
    void acceptsEveryQuantitysCanonicalUnit() {
        for (Quantity quantity : Quantity.values()) {
            assertThat(UnitConversions.toCanonical(quantity, quantity.unit(), 42).getAsDouble()).as(quantity.id()).isEqualTo(42);
            assertThat(UnitConversions.acceptedUnits(quantity)).as(quantity.id()).contains(quantity.unit());
        }
    }

    @Test
    void ignoresBlanksAroundAUnitButNotItsCase() {
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, " °F ", 212).getAsDouble()).isCloseTo(100, within(1e-9));
        assertThat(UnitConversions.impliedBy(" lx")).contains(Quantity.ILLUMINANCE);
        assertThat(UnitConversions.accepts(Quantity.POWER, "mw")).isFalse();
    }
}

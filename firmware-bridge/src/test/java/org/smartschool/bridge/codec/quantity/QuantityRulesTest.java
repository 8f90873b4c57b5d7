package org.smartschool.bridge.codec.quantity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.model.Quantity;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class QuantityRulesTest {

    @Test
    void takesTheLastNonEmptySegmentOfAName() {
        assertThat(QuantityNames.lastSegment("urn:dev:ow:10e2073a01080063:temp")).isEqualTo("temp");
        assertThat(QuantityNames.lastSegment("2001:db8::2/temperature/")).isEqualTo("temperature");
        assertThat(QuantityNames.lastSegment("Classroom 7A/Supply Voltage")).isEqualTo("Supply Voltage");
        assertThat(QuantityNames.lastSegment("co2")).isEqualTo("co2");
    }

    @Test
    void mapsNamesByCompactSegmentThenByLastWord() {
        assertThat(QuantityNames.quantityOf("urn:dev:ow:10e2073a01080063:co2")).contains(Quantity.CO2);
        assertThat(QuantityNames.quantityOf("Sensors/PM2.5")).contains(Quantity.PM25);
        assertThat(QuantityNames.quantityOf("room_temperature")).contains(Quantity.TEMPERATURE);
        assertThat(QuantityNames.quantityOf("Supply Voltage")).contains(Quantity.VOLTAGE);
        assertThat(QuantityNames.quantityOf("Fume Hood/Face Velocity")).contains(Quantity.AIR_VELOCITY);
        assertThat(QuantityNames.quantityOf("air_velocity")).contains(Quantity.AIR_VELOCITY);
        assertThat(QuantityNames.quantityOf("Inputs/A")).isEmpty();
        assertThat(QuantityNames.quantityOf("Level 2")).isEmpty();
        assertThat(QuantityNames.quantityOf("urn:dev:ow:10e2073a01080063")).isEmpty();
    }

    @Test
    void mapsBooleanNamesToTheirMeaning() {
        assertThat(QuantityNames.binaryMeaningOf("Inputs/Motion")).contains(BinaryMeaning.OCCUPANCY);
        assertThat(QuantityNames.binaryMeaningOf("room-101/presence")).contains(BinaryMeaning.OCCUPANCY);
        assertThat(QuantityNames.binaryMeaningOf("lab:water_leak")).contains(BinaryMeaning.WATER_LEAK);
        assertThat(QuantityNames.binaryMeaningOf("open")).contains(BinaryMeaning.DOOR);
        assertThat(QuantityNames.binaryMeaningOf("fan")).isEmpty();
    }

    @Test
    void impliesAQuantityOnlyFromUnambiguousUnits() {
        assertThat(UnitConversions.impliedBy("Cel")).contains(Quantity.TEMPERATURE);
        assertThat(UnitConversions.impliedBy("K")).contains(Quantity.TEMPERATURE);
        assertThat(UnitConversions.impliedBy("ppm")).contains(Quantity.CO2);
        assertThat(UnitConversions.impliedBy("%EL")).contains(Quantity.BATTERY);
        assertThat(UnitConversions.impliedBy("kWh")).contains(Quantity.ENERGY);
        for (String ambiguous : new String[] {"%", "/", "ug/m3", "F", "C", "lon", "", null}) {
            assertThat(UnitConversions.impliedBy(ambiguous)).as(String.valueOf(ambiguous)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void convertsToTheCanonicalUnitScopedByQuantity() {
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "F", 212).getAsDouble()).isCloseTo(100, Offset.offset(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, "K", 273.15).getAsDouble()).isCloseTo(0, Offset.offset(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.ENERGY, "kWh", 1.5).getAsDouble()).isEqualTo(1500);
        assertThat(UnitConversions.toCanonical(Quantity.ENERGY, "J", 36_000).getAsDouble()).isCloseTo(10, Offset.offset(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.PRESSURE, "Pa", 101_325).getAsDouble()).isCloseTo(1013.25, Offset.offset(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.CO2, "%", 0.1).getAsDouble()).isCloseTo(1000, Offset.offset(1e-9));
        assertThat(UnitConversions.toCanonical(Quantity.RSSI, "dBW", -100).getAsDouble()).isEqualTo(-70);
        assertThat(UnitConversions.toCanonical(Quantity.TEMPERATURE, null, 21.5).getAsDouble()).isEqualTo(21.5);
        assertThat(UnitConversions.toCanonical(Quantity.HUMIDITY, "lx", 1)).isEmpty();
        assertThat(UnitConversions.toCanonical(Quantity.POWER, "MW", 1)).isEmpty();
    }

    @Test
    void acceptsEveryQuantitysCanonicalUnit() {
        for (Quantity quantity : Quantity.values()) {
            assertThat(UnitConversions.toCanonical(quantity, quantity.unit(), 42).getAsDouble()).as(quantity.id()).isEqualTo(42);
            assertThat(UnitConversions.acceptedUnits(quantity)).as(quantity.id()).contains(quantity.unit());
        }
    }
}

package org.smartschool.bridge.codec.quantity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.model.Quantity;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class NameAliasesTest {

    @Test
    void takesTheLastNonEmptySegmentOfAName() {
        assertThat(NameAliases.lastSegment("urn:dev:ow:10e2073a01080063:temp")).isEqualTo("temp");
        assertThat(NameAliases.lastSegment("2001:db8::2/temperature/")).isEqualTo("temperature");
        assertThat(NameAliases.lastSegment("Classroom 7A/Supply Voltage")).isEqualTo("Supply Voltage");
        assertThat(NameAliases.lastSegment("co2")).isEqualTo("co2");
    }

    @Test
    void mapsNamesByCompactSegmentThenByLastWord() {
        assertThat(NameAliases.quantityOf("urn:dev:ow:10e2073a01080063:co2")).contains(Quantity.CO2);
        assertThat(NameAliases.quantityOf("Sensors/PM2.5")).contains(Quantity.PM25);
        assertThat(NameAliases.quantityOf("room_temperature")).contains(Quantity.TEMPERATURE);
        assertThat(NameAliases.quantityOf("Supply Voltage")).contains(Quantity.VOLTAGE);
        assertThat(NameAliases.quantityOf("Fume Hood/Face Velocity")).contains(Quantity.AIR_VELOCITY);
        assertThat(NameAliases.quantityOf("air_velocity")).contains(Quantity.AIR_VELOCITY);
        assertThat(NameAliases.quantityOf("Inputs/A")).isEmpty();
        assertThat(NameAliases.quantityOf("Level 2")).isEmpty();
        assertThat(NameAliases.quantityOf("urn:dev:ow:10e2073a01080063")).isEmpty();
    }

    @Test
    void mapsBooleanNamesToTheirMeaning() {
        assertThat(NameAliases.binaryKindOf("Inputs/Motion")).contains(BinaryKind.OCCUPANCY);
        assertThat(NameAliases.binaryKindOf("room-101/presence")).contains(BinaryKind.OCCUPANCY);
        assertThat(NameAliases.binaryKindOf("lab:water_leak")).contains(BinaryKind.WATER_LEAK);
        assertThat(NameAliases.binaryKindOf("open")).contains(BinaryKind.DOOR);
        assertThat(NameAliases.binaryKindOf("fan")).isEmpty();
    }

    @Test
    void mapsWindowAndContactBooleansLikeTheNameRulesDo() {
        assertThat(NameAliases.binaryKindOf("Inputs/Window")).contains(BinaryKind.WINDOW);
        assertThat(NameAliases.binaryKindOf("lab:contact")).contains(BinaryKind.DOOR);
    }
}

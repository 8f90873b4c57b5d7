package org.smartschool.bridge.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ModelValidationTest {
    private static final DeviceRef DEVICE = new DeviceRef("thcs-nguyen-du", "r101", "r101-air");
    private static final long T = 1_763_794_800_123L;

    @Test
    void rejectsAnIdWithATopicSeparatorNamingWhichId() {
        assertThatThrownBy(() -> new DeviceRef("s1", "r1/../x", "d1"))
                .isInstanceOf(InvalidIdException.class)
                .hasMessageContaining("invalid room id 'r1/../x'");
        assertThatThrownBy(() -> new DeviceRef("s1", "r1", "+"))
                .hasMessageContaining("invalid device id '+'");
        assertThatThrownBy(() -> new DeviceRef(null, "r1", "d1")).hasMessage("school id is missing");
    }

    @Test
    void acceptsIdsOfLettersDigitsDotsDashesAndUnderscoresUpTo64() {
        assertThat(Ids.isValid("THCS_Nguyen-Du.2")).isTrue();
        assertThat(Ids.isValid("a".repeat(64))).isTrue();
        assertThat(Ids.isValid("a".repeat(65))).isFalse();
        assertThat(Ids.isValid("-leading")).isFalse();
        assertThat(Ids.isValid("")).isFalse();
        assertThat(Ids.isValid("phòng-1")).isFalse();
        assertThat(Ids.isValid("a b")).isFalse();
    }

    @Test
    void masksControlCharactersOfABadIdInTheMessage() {
        assertThatThrownBy(() -> Ids.require("device", "d\n1"))
                .hasMessageContaining("'d\\u000a1'");
    }

    @Test
    void readingRequiresTheCanonicalUnitAndAFiniteValue() {
        assertThat(Reading.of(DEVICE, Quantity.CO2, 812, T).unit()).isEqualTo("ppm");
        assertThatThrownBy(() -> new Reading("s", "r", "d", Quantity.TEMPERATURE, 84.0, "degF", T))
                .hasMessageContaining("unit 'degF', expected the canonical unit 'Cel'");
        assertThatThrownBy(() -> Reading.of(DEVICE, Quantity.CO2, Double.NaN, T))
                .hasMessageContaining("not a finite number");
        assertThatThrownBy(() -> Reading.of(DEVICE, Quantity.CO2, 1, 0))
                .hasMessageContaining("has no timestamp");
    }

    @Test
    void unknownQuantityIsRejectedListingTheKnownOnes() {
        assertThat(Quantity.require("pm25")).isEqualTo(Quantity.PM25);
        assertThatThrownBy(() -> Quantity.require("radon"))
                .hasMessageContaining("unknown quantity 'radon'")
                .hasMessageContaining("co2");
    }

    @Test
    void eventIdIsStableForTheSameContentAndDiffersOtherwise() {
        DeviceEvent a = DeviceEvent.of(DEVICE, EventType.DOOR_OPEN, T, Map.of());
        DeviceEvent b = DeviceEvent.of(DEVICE, EventType.DOOR_OPEN, T, Map.of());
        DeviceEvent later = DeviceEvent.of(DEVICE, EventType.DOOR_OPEN, T + 1, Map.of());
        assertThat(a.id()).isEqualTo(b.id()).isNotEqualTo(later.id());
    }

    @Test
    void cardUidNeitherShapesTheEventIdNorAppearsInLoggableAttributes() {
        DeviceEvent tap1 = DeviceEvent.of(DEVICE, EventType.CARD_TAP, T, Map.of("uid", "04A22B1C", "format", "uid"));
        DeviceEvent tap2 = DeviceEvent.of(DEVICE, EventType.CARD_TAP, T, Map.of("uid", "04A22B1D", "format", "uid"));
        // the id cannot be reversed to the uid: two uids at the same device and millisecond share it
        assertThat(tap1.id()).isEqualTo(tap2.id());
        assertThat(tap1.loggableAttributes()).containsEntry("uid", "***").containsEntry("format", "uid");
        assertThat(tap1.attributes()).containsEntry("uid", "04A22B1C");
    }
}

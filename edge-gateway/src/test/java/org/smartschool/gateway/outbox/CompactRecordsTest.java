package org.smartschool.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.support.Records;

/** Verifies the compact row body: records come back equal, it is small, and damage is refused whole. */
class CompactRecordsTest {
    private static final DeviceRef AIR = new DeviceRef("bench-school", "r100", "air-1");

    /** A Zigbee2MQTT air sensor's message: 7 quantities at one instant. */
    private static List<Reading> airMessage(long time) {
        return List.of(Reading.of(AIR, Quantity.TEMPERATURE, 24.7, time), Reading.of(AIR, Quantity.HUMIDITY, 61, time),
                Reading.of(AIR, Quantity.CO2, 1234, time), Reading.of(AIR, Quantity.PM25, 17, time),
                Reading.of(AIR, Quantity.NOISE, 48.5, time), Reading.of(AIR, Quantity.ILLUMINANCE, 412, time),
                Reading.of(AIR, Quantity.VOC, 220, time));
    }

    @Test
    void readingsComeBackEqualWhateverTheirValues() {
        DeviceRef other = new DeviceRef("s1", "lab-2", "ph-1");
        List<Reading> readings = new ArrayList<>(airMessage(Records.T0));
        double[] values = {0.1 + 0.2, -0.0, 0.0, -17.25, 1e300, 4.9e-324, Math.PI, 9_007_199_254_740_993.0, 123456.789, -1};
        for (int i = 0; i < values.length; i++) {
            // times out of order too: deltas are signed
            readings.add(Reading.of(i % 2 == 0 ? other : AIR, Quantity.values()[i % Quantity.values().length], values[i],
                    Records.T0 + (i % 3 == 0 ? -5_000 : 70_000L * i)));
        }

        List<Reading> back = CompactRecords.decodeReadings(CompactRecords.encodeReadings(readings));

        assertThat(back).containsExactlyElementsOf(readings);
        assertThat(Double.doubleToRawLongBits(back.get(8).value())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aSevenQuantityMessageTakesAFewBytesAReading() {
        byte[] body = CompactRecords.encodeReadings(airMessage(Records.T0));
        // school, room and device written once (27 bytes with their lengths), then ~5 bytes a reading;
        // the same readings as JSON rows took about 130 bytes each
        assertThat(body.length).isLessThanOrEqualTo(70);
        assertThat(body.length - 1 - 1 - 6 - 28).isLessThanOrEqualTo(7 * 5); // header, names, then the readings
        assertThat(CompactRecords.count(body)).isEqualTo(7);
    }

    @Test
    void eventsComeBackEqualWithTheirIdsAndAttributes() {
        DeviceRef door = new DeviceRef("s1", "r1", "door-1");
        List<DeviceEvent> events = List.of(
                DeviceEvent.of(door, EventType.CARD_TAP, Records.T0, Map.of("uid", "04A22B1C")),
                DeviceEvent.of(door, EventType.DOOR_OPEN, Records.T0 + 1_000, Map.of()),
                new DeviceEvent("not-a-uuid:42", "s1", "r2", "pir-1", EventType.OCCUPANCY, Records.T0 - 3,
                        Map.of("occupied", "true", "zone", "ph\u00f2ng h\u1ecdc \u0111\u00f4ng")),
                // an id that parses as a UUID but is not written as UUID.toString writes it
                new DeviceEvent("0F0E0D0C-0B0A-0908-0706-050403020100", "s1", "r2", "pir-1", EventType.FAULT,
                        Records.T0, Map.of("code", "E7")));

        List<DeviceEvent> back = CompactRecords.decodeEvents(CompactRecords.encodeEvents(events));

        assertThat(back).containsExactlyElementsOf(events);
    }

    @Test
    void aDamagedRowIsRefusedWholeNamingWhatIsWrong() {
        byte[] body = CompactRecords.encodeReadings(airMessage(Records.T0));

        assertThatThrownBy(() -> CompactRecords.decodeReadings(Arrays.copyOf(body, body.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> CompactRecords.decodeReadings(Arrays.copyOf(body, body.length + 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes after the last record");
        byte[] badName = body.clone();
        badName[1 + 1 + 6 + 1] = 9; // the school: "name 9", never defined
        assertThatThrownBy(() -> CompactRecords.decodeReadings(badName))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was not defined");
        assertThatThrownBy(() -> CompactRecords.decodeEvents(body))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an events row");
        assertThatThrownBy(() -> CompactRecords.decodeReadings("{\"quantity\":\"co2\"}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a readings row");
    }
}

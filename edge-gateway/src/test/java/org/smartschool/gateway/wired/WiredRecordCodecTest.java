package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/** Verifies the codec that carries the wired drivers' records to the intake. */
class WiredRecordCodecTest {
    private static final long NOW = 1_760_000_000_000L;
    private static final DeviceRef AIR = new DeviceRef("s1", "r101", "air-r101");
    private final WiredRecordCodec codec = new WiredRecordCodec();

    @Test
    void decodesWhatItEncodedRecordForRecord() {
        Reading co2 = Reading.of(AIR, Quantity.CO2, 812, NOW);
        Reading t = Reading.of(AIR, Quantity.TEMPERATURE, 29.41, NOW);
        DeviceEvent offline = DeviceEvent.of(AIR, EventType.DEVICE_OFFLINE, NOW + 1, Map.of("reason", "I2C error"));
        byte[] payload = WiredRecordCodec.encode(List.of(co2, t), List.of(offline));

        DecodeResult result = codec.decode(new RawMessage("wired/air-r101/records", "application/json", payload, NOW), AIR);

        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).containsExactly(co2, t);
        assertThat(result.events()).containsExactly(offline);
    }

    @Test
    void refusesRecordsOfAnotherDevice() {
        DeviceRef other = new DeviceRef("s1", "r102", "air-r102");
        byte[] payload = WiredRecordCodec.encode(List.of(Reading.of(other, Quantity.CO2, 500, NOW)), List.of());

        DecodeResult result = codec.decode(new RawMessage("wired/air-r101/records", null, payload, NOW), AIR);

        assertThat(result.readings()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).message()).isEqualTo("record of device s1/r102/air-r102 on the topic of s1/r101/air-r101");
    }

    @Test
    void namesTheLineThatIsNotARecord() {
        byte[] payload = (new String(WiredRecordCodec.encode(List.of(Reading.of(AIR, Quantity.CO2, 500, NOW)), List.of()),
                StandardCharsets.UTF_8) + "{\"kind\":\"reading\"}\n").getBytes(StandardCharsets.UTF_8);

        DecodeResult result = codec.decode(new RawMessage("wired/air-r101/records", null, payload, NOW), AIR);

        assertThat(result.readings()).hasSize(1);
        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).field()).isEqualTo("$[1]");
    }
}

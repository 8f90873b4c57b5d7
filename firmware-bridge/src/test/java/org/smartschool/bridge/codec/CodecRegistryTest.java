package org.smartschool.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.zigbee2mqtt.Zigbee2MqttCodec;
import org.smartschool.bridge.model.DeviceRef;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CodecRegistryTest {

    @Test
    void standardRegistryFindsZigbee2MqttByName() {
        CodecRegistry registry = CodecRegistry.standard();

        assertThat(registry.find("zigbee2mqtt")).get().isInstanceOf(Zigbee2MqttCodec.class);
        assertThat(registry.require("zigbee2mqtt").name()).isEqualTo("zigbee2mqtt");
        assertThat(registry.all()).extracting(Codec::name).contains("zigbee2mqtt").doesNotHaveDuplicates();
        assertThat(registry.all()).allSatisfy(c -> assertThat(c.description()).isNotBlank());
    }

    @Test
    void namesTheKnownCodecsWhenOneIsUnknown() {
        CodecRegistry registry = CodecRegistry.standard();

        assertThat(registry.find("zigbee")).isEmpty();
        assertThatThrownBy(() -> registry.require("zigbee"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown codec 'zigbee'")
                .hasMessageContaining("zigbee2mqtt");
    }

    @Test
    void refusesTwoCodecsWithOneName() {
        assertThatThrownBy(() -> new CodecRegistry(List.of(new Zigbee2MqttCodec(), new Zigbee2MqttCodec())))
                .hasMessageContaining("two codecs are named 'zigbee2mqtt'");
    }

    @Test
    void listIsReadOnly() {
        assertThatThrownBy(() -> CodecRegistry.standard().all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void everyStandardCodecSurvivesEmptyAndGarbagePayloads() {
        DeviceRef device = new DeviceRef("s", "r", "d");
        for (Codec codec : CodecRegistry.standard().all()) {
            for (byte[] payload : List.of(new byte[0], new byte[] {(byte) 0xff, 0, 1}, "}{".getBytes())) {
                DecodeResult r = codec.decode(new RawMessage("x/r/d", null, payload, 1_772_414_100_000L), device);
                assertThat(r.recordCount()).as(codec.name()).isZero();
            }
        }
    }
}

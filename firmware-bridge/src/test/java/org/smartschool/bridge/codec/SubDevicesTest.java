package org.smartschool.bridge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.smartschool.bridge.model.DeviceRef;

class SubDevicesTest {

    @Test
    void namesSubDevicesAfterTheSensorAndRefusesOverlongIds() {
        DeviceRef device = new DeviceRef("s", "r", "fridge-1");

        assertThat(SubDevices.child(device, "DS18B20-2")).hasValueSatisfying(d -> {
            assertThat(d.device()).isEqualTo("fridge-1.DS18B20-2");
            assertThat(d.room()).isEqualTo("r");
        });
        assertThat(SubDevices.child(device, "temp:1/x")).hasValueSatisfying(d -> assertThat(d.device()).isEqualTo("fridge-1.temp-1-x"));
        assertThat(SubDevices.child(device, "x".repeat(60))).isEmpty();
    }
}

package org.smartschool.gateway.wired;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.serial.MockSerialProvider;

/**
 * Which Pi4J platform drives the pins: the Raspberry Pi's providers on a Pi, Pi4J's mock platform
 * elsewhere (a dry run of a configuration on a PC, where inputs never change and sensors never
 * answer, so they show up offline).
 */
public final class WiredPlatform {
    /** Where the kernel names the board (device tree), e.g. "Raspberry Pi 4 Model B Rev 1.5". */
    public static final Path MODEL_FILE = Path.of("/proc/device-tree/model");

    private WiredPlatform() {
    }

    /** {@code raspberrypi} or {@code mock}: {@code auto} becomes the one the board file names. */
    public static String resolve(String configured, Path modelFile) {
        if (!"auto".equals(configured)) {
            return configured;
        }
        return isRaspberryPi(modelFile) ? "raspberrypi" : "mock";
    }

    static boolean isRaspberryPi(Path modelFile) {
        try {
            // the device tree string ends with a NUL
            return new String(Files.readAllBytes(modelFile), StandardCharsets.US_ASCII).contains("Raspberry Pi");
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** A Pi4J context for the resolved platform ({@code raspberrypi} or {@code mock}). */
    public static Context newContext(String platform) {
        if ("raspberrypi".equals(platform)) {
            // the Pi's plugins on the class path (raspberrypi, gpiod, linuxfs, pigpio); mocks stay out
            return Pi4J.newContextBuilder().autoDetect().build();
        }
        return Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
                        MockI2CProvider.newInstance(), MockSerialProvider.newInstance())
                .build();
    }
}

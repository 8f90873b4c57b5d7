package org.smartschool.gateway.wired;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.library.pigpio.PiGpio;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.serial.MockSerialProvider;
import com.pi4j.plugin.pigpio.provider.gpio.digital.PiGpioDigitalInputProvider;
import com.pi4j.plugin.pigpio.provider.gpio.digital.PiGpioDigitalOutputProvider;
import com.pi4j.plugin.pigpio.provider.i2c.PiGpioI2CProvider;
import com.pi4j.plugin.pigpio.provider.serial.PiGpioSerialProvider;
import com.pi4j.provider.Provider;

import org.smartschool.gateway.config.WiredSettings;

/**
 * Which Pi4J providers drive the pins: the Raspberry Pi's on a Pi, Pi4J's mock ones elsewhere (a
 * dry run of a configuration on a PC, where inputs never change and sensors show up offline).
 *
 * <p>The context is built with exactly the providers the configuration names, one per kind of I/O
 * that is used, and every device names its provider: Pi4J 2.5+ keeps only the highest-priority
 * provider per kind when it detects plugins by itself, which on a Pi could pick a stub (the
 * raspberrypi plugin's serial provider reads nothing) or start pigpio for nothing.
 */
public final class WiredPlatform {
    /** Where the kernel names the board (device tree), e.g. "Raspberry Pi 4 Model B Rev 1.5". */
    public static final Path MODEL_FILE = Path.of("/proc/device-tree/model");
    /** Where the pigpio providers find the pigpiod daemon ({@code systemctl enable --now pigpiod}). */
    static final String PIGPIOD_HOST = "127.0.0.1";
    static final int PIGPIOD_PORT = 8888;

    /** The provider id each kind of I/O is created with. */
    public record ProviderIds(String digitalInput, String digitalOutput, String i2c, String serial) {
        static ProviderIds of(WiredSettings.Providers p) {
            return new ProviderIds(p.digitalInput(), p.digitalOutput(), p.i2c(), p.serial());
        }
    }

    /** The provider ids of Pi4J's mock platform. */
    static final ProviderIds MOCK = new ProviderIds(MockDigitalInputProvider.ID, MockDigitalOutputProvider.ID,
            MockI2CProvider.ID, MockSerialProvider.ID);

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

    /** The provider ids the devices use on {@code platform} ({@code raspberrypi} or {@code mock}). */
    public static ProviderIds providerIds(String platform, WiredSettings settings) {
        return "raspberrypi".equals(platform) ? ProviderIds.of(settings.providers()) : MOCK;
    }

    /** A Pi4J context holding the providers of {@link #providerIds} for the kinds of I/O {@code settings} uses. */
    public static Context newContext(String platform, WiredSettings settings) {
        boolean pi = "raspberrypi".equals(platform);
        ProviderIds ids = providerIds(platform, settings);
        List<Provider> providers = new ArrayList<>();
        PiGpio[] pigpio = new PiGpio[1];
        if (!settings.inputs().isEmpty()) {
            providers.add(pi ? digitalInput(ids.digitalInput(), pigpio) : MockDigitalInputProvider.newInstance());
        }
        if (!settings.signals().isEmpty()) {
            providers.add(pi ? digitalOutput(ids.digitalOutput(), pigpio) : MockDigitalOutputProvider.newInstance());
        }
        if (!settings.i2c().isEmpty()) {
            providers.add(pi ? i2c(ids.i2c(), pigpio) : MockI2CProvider.newInstance());
        }
        if (!settings.uart().isEmpty()) {
            providers.add(pi ? PiGpioSerialProvider.newInstance(pigpio(pigpio)) : MockSerialProvider.newInstance());
        }
        return Pi4J.newContextBuilder().noAutoDetect().add(providers.toArray(Provider[]::new)).build();
    }

    private static Provider digitalInput(String id, PiGpio[] pigpio) {
        return id.equals("pigpio-digital-input") ? PiGpioDigitalInputProvider.newInstance(pigpio(pigpio))
                : GpioDDigitalInputProvider.newInstance();
    }

    private static Provider digitalOutput(String id, PiGpio[] pigpio) {
        return id.equals("pigpio-digital-output") ? PiGpioDigitalOutputProvider.newInstance(pigpio(pigpio))
                : GpioDDigitalOutputProvider.newInstance();
    }

    private static Provider i2c(String id, PiGpio[] pigpio) {
        return id.equals("pigpio-i2c") ? PiGpioI2CProvider.newInstance(pigpio(pigpio)) : LinuxFsI2CProvider.newInstance();
    }

    /** One pigpio connection for every pigpio provider: the daemon, so the gateway needs no root. */
    private static PiGpio pigpio(PiGpio[] holder) {
        if (holder[0] == null) {
            holder[0] = PiGpio.newSocketInstance(PIGPIOD_HOST, PIGPIOD_PORT);
        }
        return holder[0];
    }
}

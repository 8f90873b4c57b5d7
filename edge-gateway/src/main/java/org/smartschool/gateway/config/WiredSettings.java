package org.smartschool.gateway.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.smartschool.bridge.model.Ids;

/**
 * Devices wired to the Pi's pins (section {@code wired:}): GPIO contacts, I2C sensors, UART readers
 * and the LEDs / buzzer of a door reader. Off unless {@code enabled}; nothing touches the pins then.
 *
 * @param platform {@code auto} (the Raspberry Pi providers when {@code /proc/device-tree/model} names
 *                 a Raspberry Pi, else Pi4J's mock platform), {@code raspberrypi} or {@code mock}
 * @param providers the Pi4J providers used on a Raspberry Pi, one per kind of I/O
 * @param offlineAfterFailures an I2C sensor is reported offline after this many failed reads in a row
 * @param retryMinMillis first wait before an offline sensor is tried again; doubles up to retryMaxMillis
 */
public record WiredSettings(boolean enabled, String platform, Providers providers, List<Input> inputs,
                            List<I2cSensor> i2c, List<Uart> uart, List<Signal> signals,
                            int offlineAfterFailures, long retryMinMillis, long retryMaxMillis) {

    public static final Set<String> PLATFORMS = Set.of("auto", "raspberrypi", "mock");

    public WiredSettings {
        platform = platform == null ? "auto" : platform;
        if (!PLATFORMS.contains(platform)) {
            throw new IllegalArgumentException("wired.platform must be auto, raspberrypi or mock: " + platform);
        }
        providers = providers != null ? providers : Providers.defaults();
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        i2c = i2c == null ? List.of() : List.copyOf(i2c);
        uart = uart == null ? List.of() : List.copyOf(uart);
        signals = signals == null ? List.of() : List.copyOf(signals);
        if (offlineAfterFailures < 1 || offlineAfterFailures > 100) {
            throw new IllegalArgumentException("wired.offlineAfterFailures must be between 1 and 100: " + offlineAfterFailures);
        }
        if (retryMinMillis < 100) {
            throw new IllegalArgumentException("wired.retryMinMillis must be at least 100: " + retryMinMillis);
        }
        if (retryMaxMillis < retryMinMillis) {
            throw new IllegalArgumentException("wired.retryMaxMillis (" + retryMaxMillis
                    + ") must be at least wired.retryMinMillis (" + retryMinMillis + ")");
        }
        // a device id names one wired device: its records, its health and its topic wired/<device>
        Set<String> devices = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            unique(devices, "wired.inputs[" + i + "].device", inputs.get(i).device());
        }
        for (int i = 0; i < i2c.size(); i++) {
            unique(devices, "wired.i2c[" + i + "].device", i2c.get(i).device());
        }
        for (int i = 0; i < uart.size(); i++) {
            unique(devices, "wired.uart[" + i + "].device", uart.get(i).device());
        }
        Set<String> signalDevices = new HashSet<>();
        for (int i = 0; i < signals.size(); i++) {
            unique(signalDevices, "wired.signals[" + i + "].device", signals.get(i).device());
        }
        Set<String> pins = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            pin(pins, "wired.inputs[" + i + "].pin", inputs.get(i).pin());
        }
        for (int i = 0; i < signals.size(); i++) {
            Signal s = signals.get(i);
            pin(pins, "wired.signals[" + i + "].greenPin", s.greenPin());
            pin(pins, "wired.signals[" + i + "].redPin", s.redPin());
            if (s.buzzerPin() != null) {
                pin(pins, "wired.signals[" + i + "].buzzerPin", s.buzzerPin());
            }
        }
        Set<String> i2cAddresses = new HashSet<>();
        for (int i = 0; i < i2c.size(); i++) {
            I2cSensor s = i2c.get(i);
            if (!i2cAddresses.add(s.bus() + "/" + s.address())) {
                throw new IllegalArgumentException("wired.i2c[" + i + "]: bus " + s.bus() + " address 0x"
                        + Integer.toHexString(s.address()) + " is used twice");
            }
        }
    }

    public static WiredSettings defaults() {
        return new WiredSettings(false, "auto", Providers.defaults(), List.of(), List.of(), List.of(), List.of(),
                3, 1_000, 60_000);
    }

    /** True when some device is configured: an enabled section without devices starts nothing. */
    public boolean hasDevices() {
        return !inputs.isEmpty() || !i2c.isEmpty() || !uart.isEmpty() || !signals.isEmpty();
    }

    private static void unique(Set<String> seen, String key, String device) {
        if (!seen.add(device)) {
            throw new IllegalArgumentException(key + ": device '" + device + "' is configured twice");
        }
    }

    private static void pin(Set<String> seen, String key, int pin) {
        if (!seen.add(Integer.toString(pin))) {
            throw new IllegalArgumentException(key + ": GPIO " + pin + " is used twice");
        }
    }

    private static void requireId(String key, String kind, String value) {
        try {
            Ids.require(kind, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static void requirePin(String key, Integer pin) {
        if (pin == null) {
            throw new IllegalArgumentException(key + " is missing");
        }
        if (pin < 0 || pin > 53) {
            throw new IllegalArgumentException(key + " must be a BCM GPIO number between 0 and 53: " + pin);
        }
    }

    /**
     * Pi4J provider ids used on a Raspberry Pi (ignored on the mock platform). The defaults work on a
     * Pi 4 and a Pi 5 without root for GPIO (libgpiod) and I2C (/dev/i2c-*); the pigpio providers
     * talk to the pigpiod daemon on 127.0.0.1:8888 (Pi 4 and older).
     */
    public record Providers(String digitalInput, String digitalOutput, String i2c, String serial) {
        public static final Set<String> DIGITAL_INPUTS = Set.of("gpiod-digital-input", "pigpio-digital-input");
        public static final Set<String> DIGITAL_OUTPUTS = Set.of("gpiod-digital-output", "pigpio-digital-output");
        public static final Set<String> I2CS = Set.of("linuxfs-i2c", "pigpio-i2c");
        public static final Set<String> SERIALS = Set.of("pigpio-serial");

        public Providers {
            digitalInput = oneOf("wired.providers.digitalInput", digitalInput, "gpiod-digital-input", DIGITAL_INPUTS);
            digitalOutput = oneOf("wired.providers.digitalOutput", digitalOutput, "gpiod-digital-output", DIGITAL_OUTPUTS);
            i2c = oneOf("wired.providers.i2c", i2c, "linuxfs-i2c", I2CS);
            serial = oneOf("wired.providers.serial", serial, "pigpio-serial", SERIALS);
        }

        public static Providers defaults() {
            return new Providers(null, null, null, null);
        }

        private static String oneOf(String key, String value, String fallback, Set<String> allowed) {
            String v = value == null || value.isBlank() ? fallback : value;
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException(key + " must be one of " + new java.util.TreeSet<>(allowed) + ": " + v);
            }
            return v;
        }
    }

    /**
     * A contact on a GPIO input: a door's reed switch or a PIR motion sensor.
     *
     * @param kind {@code door} (DOOR_OPEN / DOOR_CLOSED) or {@code motion} (OCCUPANCY occupied=true/false)
     * @param pin BCM GPIO number
     * @param pull {@code up}, {@code down} or {@code off}: the pin's internal resistor
     * @param activeHigh true when a high level means open / motion; a reed switch to ground with a
     *                   pull-up reads high when the door is open (magnet away)
     * @param debounceMillis a new level counts once it has held this long
     */
    public record Input(String device, String room, String kind, Integer pin, String pull, Boolean activeHigh,
                        Long debounceMillis) {
        public static final Set<String> KINDS = Set.of("door", "motion");
        public static final Set<String> PULLS = Set.of("up", "down", "off");

        public Input {
            requireId("wired.inputs.device", "device", device);
            requireId("wired.inputs.room", "room", room);
            kind = kind == null ? null : kind.toLowerCase(Locale.ROOT);
            if (kind == null || !KINDS.contains(kind)) {
                throw new IllegalArgumentException("wired.inputs.kind of '" + device + "' must be door or motion: " + kind);
            }
            requirePin("wired.inputs.pin of '" + device + "'", pin);
            pull = pull == null ? (kind.equals("door") ? "up" : "down") : pull.toLowerCase(Locale.ROOT);
            if (!PULLS.contains(pull)) {
                throw new IllegalArgumentException("wired.inputs.pull of '" + device + "' must be up, down or off: " + pull);
            }
            activeHigh = activeHigh == null ? Boolean.TRUE : activeHigh;
            // a reed switch bounces for a few ms; a PIR holds its output for seconds anyway
            debounceMillis = debounceMillis == null ? (kind.equals("door") ? 50L : 100L) : debounceMillis;
            if (debounceMillis < 0 || debounceMillis > 10_000) {
                throw new IllegalArgumentException("wired.inputs.debounceMillis of '" + device
                        + "' must be between 0 and 10000: " + debounceMillis);
            }
        }
    }

    /**
     * An I2C sensor read at register level.
     *
     * @param chip {@code scd4x} (Sensirion SCD40/SCD41: CO2, temperature, humidity) or {@code bme280}
     *             (Bosch: temperature, humidity, pressure)
     * @param bus the I2C bus ({@code /dev/i2c-1} is bus 1)
     * @param address 7-bit address; default 0x62 for scd4x, 0x76 for bme280
     * @param intervalMillis how often a reading is taken (an SCD4x measures every 5 s by itself)
     */
    public record I2cSensor(String device, String room, String chip, Integer bus, Integer address, Long intervalMillis) {
        public static final Set<String> CHIPS = Set.of("scd4x", "bme280");

        public I2cSensor {
            requireId("wired.i2c.device", "device", device);
            requireId("wired.i2c.room", "room", room);
            chip = chip == null ? null : chip.toLowerCase(Locale.ROOT);
            if (chip == null || !CHIPS.contains(chip)) {
                throw new IllegalArgumentException("wired.i2c.chip of '" + device + "' must be scd4x or bme280: " + chip);
            }
            bus = bus == null ? 1 : bus;
            if (bus < 0 || bus > 255) {
                throw new IllegalArgumentException("wired.i2c.bus of '" + device + "' must be between 0 and 255: " + bus);
            }
            address = address == null ? (chip.equals("scd4x") ? 0x62 : 0x76) : address;
            if (address < 0x08 || address > 0x77) {
                throw new IllegalArgumentException("wired.i2c.address of '" + device
                        + "' must be a 7-bit address between 0x08 and 0x77: " + address);
            }
            intervalMillis = intervalMillis == null ? 10_000L : intervalMillis;
            if (intervalMillis < 100 || intervalMillis > 3_600_000) {
                throw new IllegalArgumentException("wired.i2c.intervalMillis of '" + device
                        + "' must be between 100 and 3600000: " + intervalMillis);
            }
        }
    }

    /**
     * A UART device printing one frame per line, decoded by a codec.
     *
     * @param port the serial device, e.g. {@code /dev/serial0} (GPIO 14/15) or {@code /dev/ttyUSB0}
     * @param codec {@code serial-line} (key=value frames) or {@code card-reader} (card UIDs, Wiegand)
     * @param maxLineBytes a longer line is cut there and the rest of it dropped (counted)
     */
    public record Uart(String device, String room, String port, Integer baud, String codec, Integer maxLineBytes) {
        public Uart {
            requireId("wired.uart.device", "device", device);
            requireId("wired.uart.room", "room", room);
            if (port == null || port.isBlank()) {
                throw new IllegalArgumentException("wired.uart.port of '" + device + "' is missing");
            }
            baud = baud == null ? 9600 : baud;
            if (baud < 50 || baud > 4_000_000) {
                throw new IllegalArgumentException("wired.uart.baud of '" + device + "' must be between 50 and 4000000: " + baud);
            }
            if (codec == null || codec.isBlank()) {
                throw new IllegalArgumentException("wired.uart.codec of '" + device + "' is missing (serial-line or card-reader)");
            }
            maxLineBytes = maxLineBytes == null ? 1024 : maxLineBytes;
            if (maxLineBytes < 16 || maxLineBytes > 4096) {
                throw new IllegalArgumentException("wired.uart.maxLineBytes of '" + device
                        + "' must be between 16 and 4096: " + maxLineBytes);
            }
        }
    }

    /**
     * The green and red LEDs (and optional buzzer) of a door reader, driven on GPIO outputs
     * (active high): accept lights green, refuse lights red, each for its time.
     */
    public record Signal(String device, Integer greenPin, Integer redPin, Integer buzzerPin, Long acceptMillis,
                         Long refuseMillis, Long acceptBeepMillis, Long refuseBeepMillis) {
        public Signal {
            requireId("wired.signals.device", "device", device);
            requirePin("wired.signals.greenPin of '" + device + "'", greenPin);
            requirePin("wired.signals.redPin of '" + device + "'", redPin);
            if (buzzerPin != null) {
                requirePin("wired.signals.buzzerPin of '" + device + "'", buzzerPin);
            }
            acceptMillis = positive("acceptMillis", device, acceptMillis, 1_000);
            refuseMillis = positive("refuseMillis", device, refuseMillis, 2_000);
            acceptBeepMillis = positive("acceptBeepMillis", device, acceptBeepMillis, 100);
            refuseBeepMillis = positive("refuseBeepMillis", device, refuseBeepMillis, 600);
        }

        private static long positive(String key, String device, Long value, long fallback) {
            long v = value == null ? fallback : value;
            if (v < 10 || v > 60_000) {
                throw new IllegalArgumentException("wired.signals." + key + " of '" + device
                        + "' must be between 10 and 60000: " + value);
            }
            return v;
        }
    }
}

package org.smartschool.gateway.wired;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfigBuilder;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfigBuilder;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfigBuilder;
import com.pi4j.io.serial.Serial;
import com.pi4j.io.serial.SerialConfig;
import com.pi4j.io.serial.SerialConfigBuilder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.quantity.BinaryKind;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.gateway.config.WiredSettings;
import org.smartschool.gateway.mqtt.Backoff;
import org.smartschool.gateway.south.DeviceIntake;

/**
 * The devices wired to this Pi, built from {@code wired:} and running until {@link #close}: GPIO
 * contacts, polled I2C sensors and UART readers hand what they produce to a {@link DeviceIntake}
 * (through a {@link WiredSink}); door reader signals wait for {@link #signal(String)}.
 *
 * <p>Threads: one scheduler for debouncing, sensor polling and output pulses (I2C transfers are
 * short), one thread per UART, and the sink's thread for the intake's disk I/O.
 */
public final class WiredDevices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WiredDevices.class);

    private final Context context;
    private final boolean ownsContext;
    private final WiredSink sink;
    private final ScheduledThreadPoolExecutor scheduler;
    private final List<GpioContact> contacts = new ArrayList<>();
    private final List<SensorPoller> sensors = new ArrayList<>();
    private final List<UartLineReader> uarts = new ArrayList<>();
    private final List<DoorReaderSignal> signals = new ArrayList<>();
    private long scd4xStopMillis = Scd4xDriver.STOP_MILLIS;
    private long scd4xReadyTimeoutMillis = Scd4xDriver.READY_TIMEOUT_MILLIS;
    private boolean closed;

    private WiredDevices(Context context, boolean ownsContext, DeviceIntake intake) {
        this.context = context;
        this.ownsContext = ownsContext;
        // a wired reader's tap is answered on the signal of the same device id (wired.signals)
        this.sink = new WiredSink(intake, this::showAnswer);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wired-devices");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts the configured devices on the platform {@code wired.platform} names.
     *
     * @throws IllegalArgumentException when the providers cannot start or a pin or bus cannot be
     *                                  claimed (the message names the providers or the device)
     */
    public static WiredDevices start(WiredSettings settings, String school, DeviceIntake intake) {
        String platform = WiredPlatform.resolve(settings.platform(), WiredPlatform.MODEL_FILE);
        if ("mock".equals(platform)) {
            LOG.warn("wired devices run on Pi4J's mock platform ({}): no real pins are read or driven",
                    "auto".equals(settings.platform()) ? "this is not a Raspberry Pi" : "wired.platform: mock");
        }
        WiredPlatform.ProviderIds ids = WiredPlatform.providerIds(platform, settings);
        Context context;
        try {
            context = WiredPlatform.newContext(platform, settings);
        } catch (RuntimeException e) {
            // e.g. pigpiod not running: say which providers, in one line, instead of Pi4J's stack trace
            throw new IllegalArgumentException("wired: cannot start the Pi4J providers " + ids + ": " + e.getMessage(), e);
        }
        return start(settings, school, intake, context, true, ids, System::currentTimeMillis);
    }

    /**
     * Starts the devices on a given Pi4J context (tests: the mock platform with simulated chips).
     *
     * @param providers the provider id per kind of I/O, or null for the context's defaults
     * @param ownsContext whether {@link #close} shuts the context down
     */
    public static WiredDevices start(WiredSettings settings, String school, DeviceIntake intake, Context context,
                                     boolean ownsContext, WiredPlatform.ProviderIds providers, LongSupplier clock) {
        return start(settings, school, intake, context, ownsContext, providers, clock,
                Scd4xDriver.STOP_MILLIS, Scd4xDriver.READY_TIMEOUT_MILLIS);
    }

    /** For tests: a simulated SCD4x needs no 500 ms to stop, nor 12 s to be declared silent. */
    static WiredDevices start(WiredSettings settings, String school, DeviceIntake intake, Context context,
                              boolean ownsContext, WiredPlatform.ProviderIds providers, LongSupplier clock,
                              long scd4xStopMillis, long scd4xReadyTimeoutMillis) {
        WiredDevices devices = new WiredDevices(context, ownsContext, intake);
        devices.scd4xStopMillis = scd4xStopMillis;
        devices.scd4xReadyTimeoutMillis = scd4xReadyTimeoutMillis;
        try {
            devices.build(settings, school, providers, clock);
        } catch (RuntimeException e) {
            devices.close();
            throw e;
        }
        LOG.info("wired devices started: {} contact(s), {} I2C sensor(s), {} UART(s), {} reader signal(s)",
                devices.contacts.size(), devices.sensors.size(), devices.uarts.size(), devices.signals.size());
        return devices;
    }

    private void build(WiredSettings settings, String school, WiredPlatform.ProviderIds providers, LongSupplier clock) {
        for (WiredSettings.Input in : settings.inputs()) {
            DeviceRef device = new DeviceRef(school, in.room(), in.device());
            DigitalInputConfigBuilder config = DigitalInput.newConfigBuilder(context)
                    .id(ioId(in.device())).name(in.device()).address(in.pin())
                    .pull(pull(in.pull()))
                    .debounce(Math.max(1, in.debounceMillis()), TimeUnit.MILLISECONDS);
            if (providers != null) {
                config.provider(providers.digitalInput());
            }
            DigitalInput input = claim(in.device(), "GPIO " + in.pin(), () -> context.create(config.build()));
            BinaryKind kind = in.kind().equals("door") ? BinaryKind.DOOR : BinaryKind.OCCUPANCY;
            contacts.add(new GpioContact(input, device, kind, in.activeHigh(), in.debounceMillis(), sink, scheduler, clock));
        }
        for (WiredSettings.I2cSensor s : settings.i2c()) {
            DeviceRef device = new DeviceRef(school, s.room(), s.device());
            I2CConfigBuilder config = I2C.newConfigBuilder(context).id(ioId(s.device())).name(s.device())
                    .bus(s.bus()).device(s.address());
            if (providers != null) {
                config.provider(providers.i2c());
            }
            I2C i2c = claim(s.device(), "I2C bus " + s.bus() + " address 0x" + Integer.toHexString(s.address()),
                    () -> context.create(config.build()));
            PolledSensor sensor = s.chip().equals("scd4x") ? newScd4x(i2c) : new Bme280Driver(i2c);
            sensors.add(new SensorPoller(sensor, device, s.intervalMillis(),
                    new SensorHealth(settings.offlineAfterFailures(), Backoff.equalJitter(settings.retryMinMillis(), settings.retryMaxMillis())),
                    sink, scheduler, clock));
        }
        for (WiredSettings.Uart u : settings.uart()) {
            DeviceRef device = new DeviceRef(school, u.room(), u.device());
            SerialConfigBuilder builder = Serial.newConfigBuilder(context).id(ioId(u.device())).name(u.device())
                    .device(u.port()).baud8N1(u.baud()).flowNone();
            if (providers != null) {
                builder.provider(providers.serial());
            }
            SerialConfig config = builder.build();
            uarts.add(new UartLineReader(() -> openSerial(config), device, u.maxLineBytes(), sink,
                    Backoff.equalJitter(settings.retryMinMillis(), settings.retryMaxMillis()), clock));
        }
        for (WiredSettings.Signal s : settings.signals()) {
            DigitalOutput green = output(s.device(), s.device() + "-green", s.greenPin(), providers);
            DigitalOutput red = output(s.device(), s.device() + "-red", s.redPin(), providers);
            DigitalOutput buzzer = s.buzzerPin() == null ? null : output(s.device(), s.device() + "-buzzer", s.buzzerPin(), providers);
            signals.add(new DoorReaderSignal(s.device(), green, red, buzzer, s.acceptMillis(), s.refuseMillis(),
                    s.acceptBeepMillis(), s.refuseBeepMillis(), scheduler));
        }
        sensors.forEach(SensorPoller::start);
        uarts.forEach(UartLineReader::start);
    }

    private PolledSensor newScd4x(I2C i2c) {
        return new Scd4xDriver(i2c, scd4xStopMillis, scd4xReadyTimeoutMillis);
    }

    private Serial openSerial(SerialConfig config) {
        if (context.registry().exists(config.id())) {
            context.shutdown(config.id()); // a port that failed: let go of it before opening it again
        }
        return context.create(config);
    }

    private DigitalOutput output(String device, String id, int pin, WiredPlatform.ProviderIds providers) {
        DigitalOutputConfigBuilder config = DigitalOutput.newConfigBuilder(context).id(ioId(id)).name(id).address(pin)
                .initial(DigitalState.LOW).shutdown(DigitalState.LOW);
        if (providers != null) {
            config.provider(providers.digitalOutput());
        }
        return claim(device, "GPIO " + pin, () -> context.create(config.build()));
    }

    private static <T> T claim(String device, String what, Supplier<T> create) {
        try {
            return create.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("wired device " + device + ": cannot claim " + what + ": " + e.getMessage(), e);
        }
    }

    private static String ioId(String device) {
        return "wired-" + device;
    }

    private static PullResistance pull(String pull) {
        return switch (pull) {
            case "up" -> PullResistance.PULL_UP;
            case "down" -> PullResistance.PULL_DOWN;
            default -> PullResistance.OFF;
        };
    }

    /** Shows attendance's answer to a tap on the reader's signal, when it has one. */
    private void showAnswer(org.smartschool.gateway.attendance.DoorAnswer answer) {
        signal(answer.device()).ifPresent(s -> s.signal(answer.green() ? DoorReaderSignal.Verdict.ACCEPT
                : DoorReaderSignal.Verdict.REFUSE));
    }

    /** The door reader signal named {@code device} in {@code wired.signals}, if there is one. */
    public Optional<DoorReaderSignal> signal(String device) {
        return signals.stream().filter(s -> s.device().equals(device)).findFirst();
    }

    /** Every wired device's health, in configuration order. */
    public List<WiredStatus> status() {
        List<WiredStatus> out = new ArrayList<>();
        contacts.forEach(c -> out.add(c.status()));
        sensors.forEach(s -> out.add(s.status()));
        uarts.forEach(u -> out.add(u.status()));
        signals.forEach(s -> out.add(s.status()));
        return out;
    }

    /** What went to the intake: committed, refused, dropped. */
    public WiredSink sink() {
        return sink;
    }

    /** Stops polling and reading, puts the sensors to rest, lets the intake finish, releases the pins. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sensors.forEach(SensorPoller::stop);
        uarts.forEach(UartLineReader::stop);
        try {
            scheduler.submit(() -> sensors.forEach(SensorPoller::end)).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("wired sensors did not stop cleanly: {}", e.toString());
        }
        scheduler.shutdownNow();
        sink.close();
        if (ownsContext) {
            try {
                context.shutdown();
            } catch (RuntimeException e) {
                LOG.warn("Pi4J did not shut down cleanly: {}", e.toString());
            }
        }
    }
}

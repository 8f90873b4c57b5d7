package org.smartschool.gateway.wired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.config.WiredSettings;
import org.smartschool.gateway.outbox.DeadLetter;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * Verifies the wired devices end to end on Pi4J's mock platform: edges on mock GPIO inputs,
 * simulated SCD4x and BME280 chips behind the mock I2C, bytes typed into the mock serial port,
 * and the LEDs read back from the mock outputs; what they produce is read from a real outbox.
 */
@Timeout(60)
class WiredDevicesTest {
    private static final String SCHOOL = "s1";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Outbox outbox;
    private MessageIntake intake;
    private Context context;
    private SimulatedI2cProvider i2c;
    private SimulatedSerialProvider serial;
    private WiredDevices wired;
    private final Scd4xSimulator scd41 = new Scd4xSimulator();

    @BeforeEach
    void setUp() {
        outbox = Outbox.open(dir.resolve("outbox.db"), 100_000, 1_000);
        i2c = new SimulatedI2cProvider();
        serial = new SimulatedSerialProvider();
        context = Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(), i2c, serial)
                .build();
    }

    @AfterEach
    void tearDown() {
        if (wired != null) {
            wired.close();
        }
        outbox.close();
    }

    private void start(WiredSettings settings) {
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), "gw-1");
        intake = new MessageIntake(WiredRoutes.router(SCHOOL, settings, CodecRegistry.standard()), outbox, metrics, 65536);
        wired = WiredDevices.start(settings, SCHOOL, intake, context, true, null, System::currentTimeMillis, 1, 600);
    }

    private static WiredSettings settings(List<WiredSettings.Input> inputs, List<WiredSettings.I2cSensor> sensors,
                                          List<WiredSettings.Uart> uarts, List<WiredSettings.Signal> signals) {
        return new WiredSettings(true, "mock", null, inputs, sensors, uarts, signals, 3, 300, 600);
    }

    private List<DeviceEvent> events(String device) {
        return outbox.peek(10_000).events().stream().filter(e -> e.device().equals(device)).toList();
    }

    private List<Reading> readings(String device, Quantity quantity) {
        return outbox.peek(10_000).readings().stream()
                .filter(r -> r.device().equals(device) && r.quantity() == quantity).toList();
    }

    private MockDigitalInput pin(String device) {
        return context.registry().get("wired-" + device, MockDigitalInput.class);
    }

    private WiredStatus status(String device) {
        return wired.status().stream().filter(s -> s.device().equals(device)).findFirst().orElseThrow();
    }

    @Test
    void doorContactReportsOpenAndClosedOnceEachThroughContactBounce() throws Exception {
        start(settings(List.of(new WiredSettings.Input("door-r101", "r101", "door", 17, "up", true, 40L)),
                List.of(), List.of(), List.of()));
        DigitalInput input = context.registry().get("wired-door-r101", DigitalInput.class);
        assertThat(input.pull()).isEqualTo(PullResistance.PULL_UP);
        assertThat(input.config().debounce()).isEqualTo(40_000L); // passed on to the provider, in microseconds
        // the mock pin starts low: the door is closed, reported once at start
        Poll.until(WAIT, "the door's state at start", () -> events("door-r101").size() == 1);
        assertThat(events("door-r101").get(0).type()).isEqualTo(EventType.DOOR_CLOSED);

        // a bounce that ends where it started is no change
        MockDigitalInput mock = pin("door-r101");
        mock.mockState(DigitalState.HIGH);
        mock.mockState(DigitalState.LOW);
        // the door opens, bouncing on the way
        long openedAt = System.currentTimeMillis();
        mock.mockState(DigitalState.HIGH);
        mock.mockState(DigitalState.LOW);
        mock.mockState(DigitalState.HIGH);
        Poll.until(WAIT, "door_open", () -> events("door-r101").size() == 2);
        DeviceEvent open = events("door-r101").get(1);
        assertThat(open.type()).isEqualTo(EventType.DOOR_OPEN);
        assertThat(open.attributes()).containsEntry("contact", "door");
        assertThat(open.room()).isEqualTo("r101");
        assertThat(open.timestamp()).isBetween(openedAt, openedAt + 1_000);

        mock.mockState(DigitalState.LOW);
        Poll.until(WAIT, "door_closed", () -> events("door-r101").size() == 3);
        assertThat(events("door-r101")).extracting(DeviceEvent::type)
                .containsExactly(EventType.DOOR_CLOSED, EventType.DOOR_OPEN, EventType.DOOR_CLOSED);
        assertThat(status("door-r101").samples()).isEqualTo(3);
    }

    @Test
    void motionSensorReportsOccupancyChangesOnly() throws Exception {
        start(settings(List.of(new WiredSettings.Input("pir-r101", "r101", "motion", 27, null, null, 20L)),
                List.of(), List.of(), List.of()));
        assertThat(context.registry().get("wired-pir-r101", DigitalInput.class).pull()).isEqualTo(PullResistance.PULL_DOWN);
        Poll.until(WAIT, "occupancy at start", () -> events("pir-r101").size() == 1);
        pin("pir-r101").mockState(DigitalState.HIGH);
        Poll.until(WAIT, "motion", () -> events("pir-r101").size() == 2);
        pin("pir-r101").mockState(DigitalState.HIGH); // the same level again: no event
        pin("pir-r101").mockState(DigitalState.LOW);
        Poll.until(WAIT, "no more motion", () -> events("pir-r101").size() == 3);
        assertThat(events("pir-r101")).allSatisfy(e -> assertThat(e.type()).isEqualTo(EventType.OCCUPANCY));
        assertThat(events("pir-r101")).extracting(e -> e.attributes().get("occupied"))
                .containsExactly("false", "true", "false");
    }

    @Test
    void scd4xMeasurementsReachTheOutboxAfterDataReadyPolling() throws Exception {
        i2c.place(1, 0x62, scd41);
        start(settings(List.of(), List.of(new WiredSettings.I2cSensor("air-r101", "r101", "scd4x", 1, 0x62, 100L)),
                List.of(), List.of()));
        // the driver stops a measurement that may still run, then starts one
        Poll.until(WAIT, "start_periodic_measurement", () -> scd41.count(Scd4xDriver.START_PERIODIC_MEASUREMENT) == 1);
        assertThat(scd41.count(Scd4xDriver.STOP_PERIODIC_MEASUREMENT)).isEqualTo(1);
        Poll.until(WAIT, "data-ready polls", () -> scd41.count(Scd4xDriver.GET_DATA_READY_STATUS) >= 2);
        assertThat(scd41.count(Scd4xDriver.READ_MEASUREMENT)).isZero(); // never read before it is ready
        scd41.publish(812, 29.4, 71.0);
        Poll.until(WAIT, "co2 reading", () -> readings("air-r101", Quantity.CO2).size() == 1);
        assertThat(readings("air-r101", Quantity.CO2).get(0).value()).isEqualTo(812.0);
        Poll.until(WAIT, "temperature", () -> readings("air-r101", Quantity.TEMPERATURE).size() == 1);
        assertThat(readings("air-r101", Quantity.TEMPERATURE).get(0).value()).isCloseTo(29.4, within(0.01));
        assertThat(readings("air-r101", Quantity.HUMIDITY).get(0).value()).isCloseTo(71.0, within(0.01));
        assertThat(readings("air-r101", Quantity.CO2).get(0).room()).isEqualTo("r101");
        assertThat(scd41.ready()).isFalse();
        assertThat(status("air-r101").online()).isTrue();
        assertThat(status("air-r101").samples()).isEqualTo(1);
    }

    @Test
    void scd4xSampleWithACrcMismatchIsSkippedAndCounted() throws Exception {
        i2c.place(1, 0x62, scd41);
        start(settings(List.of(), List.of(new WiredSettings.I2cSensor("air-r102", "r102", "scd4x", 1, 0x62, 100L)),
                List.of(), List.of()));
        Poll.until(WAIT, "start", () -> scd41.count(Scd4xDriver.START_PERIODIC_MEASUREMENT) == 1);
        scd41.corruptNext();
        scd41.publish(900, 25.0, 50.0);
        Poll.until(WAIT, "the corrupt sample read", () -> status("air-r102").crcErrors() == 1);
        scd41.publish(905, 25.5, 51.0);
        Poll.until(WAIT, "the next good sample", () -> readings("air-r102", Quantity.CO2).size() == 1);
        assertThat(readings("air-r102", Quantity.CO2)).extracting(Reading::value).containsExactly(905.0);
        assertThat(status("air-r102").crcErrors()).isEqualTo(1);
        assertThat(status("air-r102").lastProblem()).contains("CRC");
        assertThat(events("air-r102")).isEmpty(); // one bad answer is not an outage
    }

    @Test
    void scd4xThatStopsAnsweringIsReportedOfflineRetriedWithBackoffAndBackOnline() throws Exception {
        i2c.place(1, 0x62, scd41);
        start(settings(List.of(), List.of(new WiredSettings.I2cSensor("air-r103", "r103", "scd4x", 1, 0x62, 100L)),
                List.of(), List.of()));
        scd41.publish(700, 24.0, 60.0);
        Poll.until(WAIT, "first reading", () -> readings("air-r103", Quantity.CO2).size() == 1);

        scd41.failing(true);
        Poll.until(WAIT, "device_offline", () -> events("air-r103").size() == 1);
        DeviceEvent offline = events("air-r103").get(0);
        assertThat(offline.type()).isEqualTo(EventType.DEVICE_OFFLINE);
        assertThat(offline.attributes().get("reason")).contains("Remote I/O error");
        assertThat(status("air-r103").online()).isFalse();
        assertThat(status("air-r103").failures()).isGreaterThanOrEqualTo(3);

        // retried, but with waits of at least half the 300 ms minimum, not in a hot loop
        int before = scd41.transfers().size();
        Poll.until(WAIT, "three retries while offline", () -> scd41.transfers().size() >= before + 3);
        List<Long> tries = scd41.transfers().subList(before - 1, before + 3);
        for (int i = 1; i < tries.size(); i++) {
            assertThat((tries.get(i) - tries.get(i - 1)) / 1_000_000).as("wait before retry %d", i).isGreaterThanOrEqualTo(140);
        }
        assertThat(events("air-r103")).hasSize(1); // offline is reported once, not at every retry

        scd41.failing(false);
        scd41.publish(710, 24.5, 61.0);
        Poll.until(WAIT, "device_online", () -> events("air-r103").size() == 2);
        assertThat(events("air-r103").get(1).type()).isEqualTo(EventType.DEVICE_ONLINE);
        Poll.until(WAIT, "readings again", () -> readings("air-r103", Quantity.CO2).size() == 2);
        assertThat(readings("air-r103", Quantity.CO2)).extracting(Reading::value).containsExactly(700.0, 710.0);
        assertThat(scd41.count(Scd4xDriver.START_PERIODIC_MEASUREMENT)).isEqualTo(2); // set up again after the outage
        assertThat(status("air-r103").online()).isTrue();
    }

    @Test
    void scd4xWhoseDataIsNeverReadyIsReportedOffline() throws Exception {
        i2c.place(1, 0x62, scd41);
        start(settings(List.of(), List.of(new WiredSettings.I2cSensor("air-r104", "r104", "scd4x", 1, 0x62, 100L)),
                List.of(), List.of()));
        Poll.until(WAIT, "device_offline", () -> events("air-r104").size() == 1);
        assertThat(events("air-r104").get(0).type()).isEqualTo(EventType.DEVICE_OFFLINE);
        assertThat(events("air-r104").get(0).attributes().get("reason")).isEqualTo("data never ready within 600 ms");
        assertThat(readings("air-r104", Quantity.CO2)).isEmpty();
    }

    @Test
    void bme280IsReadInForcedModeAndCompensated() throws Exception {
        Bme280Simulator bme = new Bme280Simulator(0x60, Bme280CompensationTest.EXAMPLE);
        bme.measure(Bme280CompensationTest.ADC_T, Bme280CompensationTest.ADC_P, 30000);
        i2c.place(1, 0x76, bme);
        start(settings(List.of(), List.of(new WiredSettings.I2cSensor("env-lab", "lab-chem", "bme280", null, null, 100L)),
                List.of(), List.of()));
        Poll.until(WAIT, "temperature", () -> readings("env-lab", Quantity.TEMPERATURE).size() >= 2);
        assertThat(readings("env-lab", Quantity.TEMPERATURE).get(0).value()).isEqualTo(25.08);
        assertThat(readings("env-lab", Quantity.PRESSURE).get(0).value()).isCloseTo(1006.53, within(0.001));
        double humidity = Bme280CompensationTest.floatHumidity(Bme280CompensationTest.EXAMPLE, 128422, 30000);
        assertThat(readings("env-lab", Quantity.HUMIDITY).get(0).value()).isCloseTo(humidity, within(0.05));
        assertThat(bme.forcedMeasurements()).isGreaterThanOrEqualTo(2); // one forced measurement per sample
    }

    @Test
    void bme280WithTheWrongChipIdIsReportedOfflineWithTheReason() throws Exception {
        i2c.place(1, 0x77, new Bme280Simulator(0x58, Bme280CompensationTest.EXAMPLE));
        start(settings(List.of(), List.of(new WiredSettings.I2cSensor("env-r105", "r105", "bme280", 1, 0x77, 100L)),
                List.of(), List.of()));
        Poll.until(WAIT, "device_offline", () -> events("env-r105").size() == 1);
        assertThat(events("env-r105").get(0).attributes().get("reason"))
                .isEqualTo("chip id 0x58 is not a BME280's (0x60): a BMP280, which has no humidity");
        assertThat(readings("env-r105", Quantity.TEMPERATURE)).isEmpty();
    }

    @Test
    void uartLinesAreDecodedByTheSerialLineAndCardReaderCodecs() throws Exception {
        start(settings(List.of(), List.of(), List.of(
                new WiredSettings.Uart("mcu-r106", "r106", "/dev/ttyUSB0", 9600, "serial-line", null),
                new WiredSettings.Uart("reader-gate", "gate", "/dev/serial0", 9600, "card-reader", null)), List.of()));
        Poll.until(WAIT, "ports open", () -> serial.opened("/dev/ttyUSB0") && serial.opened("/dev/serial0"));
        serial.type("/dev/ttyUSB0", "CO2=8");
        serial.type("/dev/ttyUSB0", "12;T=29.4;H=71\r\n");
        serial.type("/dev/serial0", "04:A2:2B:1C\r\n");
        Poll.until(WAIT, "co2 from the UART", () -> readings("mcu-r106", Quantity.CO2).size() == 1);
        assertThat(readings("mcu-r106", Quantity.CO2).get(0).value()).isEqualTo(812.0);
        assertThat(readings("mcu-r106", Quantity.TEMPERATURE).get(0).value()).isEqualTo(29.4);
        assertThat(readings("mcu-r106", Quantity.HUMIDITY).get(0).value()).isEqualTo(71.0);
        Poll.until(WAIT, "card tap", () -> events("reader-gate").size() == 1);
        DeviceEvent tap = events("reader-gate").get(0);
        assertThat(tap.type()).isEqualTo(EventType.CARD_TAP);
        assertThat(tap.attributes()).containsEntry("uid", "04A22B1C").containsEntry("format", "nfc_uid");
        assertThat(tap.room()).isEqualTo("gate");

        // line noise is kept in the dead letters as it came, and the next frame still decodes
        serial.type("/dev/serial0", "\u00ff\u00fe garbage\n");
        // even parity over the first 12 data bits (one 1: parity 1), odd over the last 12 (one 1: parity 0)
        serial.type("/dev/serial0", "W26:" + "1" + "00000001" + "0000000000000010" + "0" + "\n");
        Poll.until(WAIT, "dead letter", () -> outbox.deadLetterCount() == 1);
        DeadLetter letter = outbox.deadLetters(10).get(0);
        assertThat(letter.topic()).isEqualTo("wired/reader-gate");
        assertThat(letter.reason()).contains("card-reader");
        Poll.until(WAIT, "second tap", () -> events("reader-gate").size() == 2);
        assertThat(events("reader-gate").get(1).attributes()).containsEntry("format", "wiegand26").containsEntry("facility", "1");
        assertThat(wired.sink().rejected()).isEqualTo(1);
        assertThat(status("reader-gate").samples()).isEqualTo(3);
    }

    @Test
    void uartPortThatCannotBeOpenedIsReportedOfflineAndOpenedAgainLater() throws Exception {
        serial.missing(true);
        start(settings(List.of(), List.of(), List.of(
                new WiredSettings.Uart("mcu-r108", "r108", "/dev/ttyUSB9", 9600, "serial-line", null)), List.of()));
        Poll.until(WAIT, "device_offline", () -> events("mcu-r108").size() == 1);
        assertThat(events("mcu-r108").get(0).type()).isEqualTo(EventType.DEVICE_OFFLINE);
        assertThat(events("mcu-r108").get(0).attributes().get("reason"))
                .isEqualTo("serial port: cannot open /dev/ttyUSB9: No such file or directory");
        assertThat(status("mcu-r108").online()).isFalse();

        serial.missing(false);
        Poll.until(WAIT, "device_online", () -> events("mcu-r108").size() == 2);
        assertThat(events("mcu-r108").get(1).type()).isEqualTo(EventType.DEVICE_ONLINE);
        serial.type("/dev/ttyUSB9", "CO2=640\n");
        Poll.until(WAIT, "co2 after the port came back", () -> readings("mcu-r108", Quantity.CO2).size() == 1);
        assertThat(status("mcu-r108").online()).isTrue();
        assertThat(status("mcu-r108").failures()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void doorReaderSignalLightsGreenOrRedForItsTime() throws Exception {
        start(settings(List.of(), List.of(), List.of(),
                List.of(new WiredSettings.Signal("reader-r101", 5, 6, 13, 300L, 500L, 100L, 400L))));
        DigitalOutput green = context.registry().get("wired-reader-r101-green", DigitalOutput.class);
        DigitalOutput red = context.registry().get("wired-reader-r101-red", DigitalOutput.class);
        DigitalOutput buzzer = context.registry().get("wired-reader-r101-buzzer", DigitalOutput.class);
        assertThat(List.of(green.state(), red.state(), buzzer.state())).containsOnly(DigitalState.LOW);
        Optional<DoorReaderSignal> signal = wired.signal("reader-r101");
        assertThat(signal).isPresent();
        assertThat(wired.signal("no-such-reader")).isEmpty();

        // each pin's changes as they happen, stamped: a busy machine may look at the pins after the 100 ms beep is over
        List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, Long> stamps = new java.util.concurrent.ConcurrentHashMap<>();
        for (DigitalOutput pin : List.of(green, red, buzzer)) {
            String name = pin.id().substring(pin.id().lastIndexOf('-') + 1);
            pin.addListener(event -> {
                String change = name + " " + (event.state() == DigitalState.HIGH ? "on" : "off");
                changes.add(change);
                stamps.putIfAbsent(change, System.nanoTime());
            });
        }
        signal.get().signal(DoorReaderSignal.Verdict.ACCEPT);
        Poll.until(WAIT, "green off", () -> changes.contains("green off"));
        assertThat(changes).containsExactly("green on", "buzzer on", "buzzer off", "green off");
        assertThat(red.isLow()).isTrue();
        assertThat((stamps.get("buzzer off") - stamps.get("buzzer on")) / 1_000_000).as("the accept beep's time")
                .isGreaterThanOrEqualTo(95);
        assertThat((stamps.get("green off") - stamps.get("green on")) / 1_000_000).as("green's time")
                .isGreaterThanOrEqualTo(295);

        signal.get().signal(DoorReaderSignal.Verdict.REFUSE);
        Poll.until(WAIT, "red on", red::isHigh);
        assertThat(green.isLow()).isTrue();
        // a new card replaces the signal still showing
        signal.get().signal(DoorReaderSignal.Verdict.ACCEPT);
        Poll.until(WAIT, "green on again", green::isHigh);
        assertThat(red.isLow()).isTrue();
        Poll.until(WAIT, "all off", () -> green.isLow() && red.isLow() && buzzer.isLow());
        assertThat(status("reader-r101").samples()).isEqualTo(3);
    }

    @Test
    void closingReleasesThePinsAndStopsTheSensor() throws Exception {
        i2c.place(1, 0x62, scd41);
        start(settings(List.of(new WiredSettings.Input("door-r107", "r107", "door", 22, "up", true, 10L)),
                List.of(new WiredSettings.I2cSensor("air-r107", "r107", "scd4x", 1, 0x62, 100L)), List.of(), List.of()));
        Poll.until(WAIT, "started", () -> scd41.count(Scd4xDriver.START_PERIODIC_MEASUREMENT) == 1);
        wired.close();
        assertThat(scd41.count(Scd4xDriver.STOP_PERIODIC_MEASUREMENT)).isEqualTo(2); // at start and at close
        assertThat(context.isShutdown()).isTrue();
        Map<String, ?> left = context.registry().all();
        assertThat(left).isEmpty();
        wired = null;
    }
}

package org.smartschool.hub.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.sim.Scenario;
import org.smartschool.bridge.sim.SchoolLayout;
import org.smartschool.bridge.sim.SchoolSimulation;
import org.smartschool.bridge.sim.SchoolTimetable;
import org.smartschool.gateway.app.Gateway;
import org.smartschool.gateway.coap.CoapDeviceServer;
import org.smartschool.gateway.coap.CoapSite;
import org.smartschool.gateway.coap.DeviceKeys;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.telemetry.GatewayMetrics;
import org.smartschool.gateway.config.GatewayConfig.NorthSettings;
import org.smartschool.gateway.config.GatewayConfig.OutboxSettings;
import org.smartschool.gateway.config.GatewayConfig.SouthSettings;
import org.smartschool.gateway.config.GatewayConfig.UplinkSettings;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HttpConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.config.StoreConfig;
import org.smartschool.hub.inventory.InventoryReader;
import org.smartschool.hub.inventory.InventoryWriter;
import org.smartschool.hub.registry.Registry;

/**
 * A whole simulated school district in one process: the device broker, one edge gateway per
 * school, each school's virtual firmware publishing in real time, and the hub serving the page and
 * API. Every part is the real one; only the devices are simulated and the schools share one
 * broker (kept apart by {@link SchoolNamespace}).
 *
 * <pre>
 * virtual firmware --MQTT 3.1.1--> device broker --> gateway per school --MQTT 5 batches--> hub --> HTTP
 * </pre>
 *
 * Started in that order from the right (broker, hub, gateways, devices), so nothing waits for a
 * part that is not there yet; {@link #close()} stops it from the left: devices, gateways, hub, broker.
 *
 * <p>With the school morning on ({@link DemoSettings#morningSpeed()}), attendance runs on a {@link SchoolClock}
 * from 06:45 of today's school day, faster than real time: each school's door readers tap a scripted morning
 * ({@link MorningDoors}, instead of the simulation's real-time readers) and its gateway judges the taps and the
 * cut-offs by that clock; everything else (readings, alarms, charts) keeps real time. The clock runs once every
 * gateway has its attendance plan and the webhook is subscribed, so that the whole morning is decided and forwarded.
 */
public final class DemoDistrict implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoDistrict.class);
    /** The same seed every run: the district's rooms keep their character (size, ventilation). */
    static final long SEED = 20_240_905L;
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 20;
    /** Starting a gateway is mostly waiting (SQLite file, MQTT connects), so more threads than cores pay. */
    private static final int STARTER_THREADS = 8;
    /**
     * Fleet liveness made short for the demo, so that its silent sensor becomes an alarm within two
     * minutes: checked every 5 s, a sensor is silent after 3 of its intervals but at least 60 s (a
     * gateway sends a batch every second); a device whose interval is not learnt yet counts as reporting
     * every 10 minutes (the smoke detector's), so that none is silent by mistake before its second reading.
     */
    static final FleetConfig FLEET = new FleetConfig(5, FleetConfig.DEFAULT.gatewaySilentSeconds(), 3, 600, 60);
    /** hub-server/config/inventory.example.yaml, packaged beside this class. */
    static final String EXAMPLE_INVENTORY = "inventory.example.yaml";
    /** The simulation's door readers publish under this base topic ({@code doors/{room}/{device}/tag}). */
    private static final String DOOR_TOPICS = "doors/";
    /** The morning's door readers look at the school clock this often: 1.5 simulated seconds at 30x. */
    static final long MORNING_TICK_MILLIS = 50;

    private final DemoSettings settings;
    private final List<DemoSchool> schools;
    private final EmbeddedDeviceBroker broker;
    private final Vertx vertx;
    private final Hub hub;
    private final List<Gateway> gateways;
    private final List<FirmwarePublisher> publishers;
    private final VirtualFirmware firmware;
    /** The morning's door readers on the school clock; null when the morning is off. */
    private final VirtualFirmware morningDoors;
    private final List<FirmwarePublisher> doorPublishers;
    private final SchoolClock schoolClock;
    private final java.util.Map<String, MorningDoors> doors;
    private final CoapDeviceServer coap;
    private final DemoLogins.Made logins;
    private boolean closed;

    private DemoDistrict(Builder b) {
        this.settings = b.settings;
        this.schools = b.schools;
        this.broker = b.broker;
        this.vertx = b.vertx;
        this.hub = b.hub;
        this.gateways = List.copyOf(b.gateways);
        this.publishers = List.copyOf(b.publishers);
        this.firmware = b.firmware;
        this.morningDoors = b.morningDoors;
        this.doorPublishers = List.copyOf(b.doorPublishers);
        this.schoolClock = b.schoolClock;
        this.doors = java.util.Map.copyOf(b.doors);
        this.coap = b.coap;
        this.logins = b.logins;
    }

    /** Starts every part and returns once the hub serves HTTP and the devices have started publishing. */
    public static DemoDistrict start(DemoSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    static DemoDistrict start(DemoSettings requested, Clock clock) {
        // a store kept from an earlier run already holds its history; a second copy would overlap it
        DemoSettings settings = Files.exists(storePath(requested)) ? requested.withHistory(Duration.ZERO) : requested;
        Builder b = new Builder(settings);
        ExecutorService starter = Executors.newFixedThreadPool(STARTER_THREADS, r -> {
            Thread t = new Thread(r, "demo-start");
            t.setDaemon(true);
            return t;
        });
        try {
            Files.createDirectories(settings.dataDir().resolve("gateways"));
            b.schools = DemoSchool.district(settings.schools());
            // the broker and the hub do not need each other: they start side by side
            java.util.concurrent.Future<EmbeddedDeviceBroker> broker =
                    starter.submit(() -> EmbeddedDeviceBroker.start(DeviceBrokerConfig.inMemory(0)));
            Path inventory = writeInventory(settings.dataDir(), b.schools, settings.roomsPerSchool());
            b.vertx = Vertx.vertx();
            HubConfig hubConfig = hubConfig(settings, b.schools).withRegistry(new RegistryConfig(inventory.toString(), ""));
            if (settings.morningSpeed() > 0) {
                // today's school morning (Friday's at a weekend), whatever the hour: the API is asked for this date
                SchoolMorning morning = new SchoolMorning(
                        SchoolMorning.schoolDay(java.time.LocalDate.now(SchoolMorning.ZONE)), settings.morningSpeed(),
                        hubConfig.roster().graceMinutes(), hubConfig.roster().cutoffMinutes());
                b.schoolClock = new SchoolClock(morning);
            }
            Future<Hub> hub = Hub.start(b.vertx, hubConfig);
            Failures failures = new Failures();
            failures.run(() -> b.broker = join(broker, "the device broker"));
            failures.run(() -> b.hub = await(hub, "the hub", START_TIMEOUT_SECONDS));
            failures.throwFirst();
            b.logins = DemoLogins.create(b.hub.accounts(), b.schools.get(0).id(), clock);
            if (settings.webhookUrl() != null) {
                // before any gateway connects: the receiver gets every decision of the morning
                subscribeWebhook(b.hub.httpPort(), b.logins.apiToken(), settings);
            }

            // then every school's gateway and devices, side by side too (SQLite files, MQTT connects)
            long live = clock.millis();
            long start = live - settings.history().toMillis();
            CodecRegistry codecs = CodecRegistry.standard();
            List<java.util.concurrent.Future<?>> schools = new ArrayList<>();
            for (int i = 0; i < b.schools.size(); i++) {
                DemoSchool school = b.schools.get(i);
                Scenario scenario = scenario(i, b.schools.size(), settings.roomsPerSchool(), live);
                schools.add(starter.submit(() -> {
                    startSchool(b, school, start, scenario, codecs);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> school : schools) {
                failures.run(() -> join(school, "a school"));
            }
            failures.throwFirst();
            b.coap = startCoap(settings, b.gateways);

            b.publishers.sort(Comparator.comparing(FirmwarePublisher::school));
            b.firmware = new VirtualFirmware(b.publishers, clock);
            b.firmware.start();
            if (b.schoolClock != null) {
                startMorning(b);
            }
        } catch (Exception e) {
            new DemoDistrict(b).close();
            throw new IllegalStateException("demo district: cannot start: " + e.getMessage(), e);
        } finally {
            starter.shutdownNow();
        }
        DemoDistrict district = new DemoDistrict(b);
        LOG.info("Demo district up: {} schools, {} classrooms each, {} of history, device broker {}, hub MQTT port {}",
                settings.schools(), settings.roomsPerSchool(), settings.history(), b.broker.url(), b.hub.mqttPort());
        if (b.schoolClock != null) {
            LOG.info("Attendance: {}", b.schoolClock.morning().describe());
        }
        return district;
    }

    private static void subscribeWebhook(int httpPort, String apiToken, DemoSettings settings) {
        try {
            DemoWebhook.subscribe("http://127.0.0.1:" + httpPort + "/", apiToken, settings.webhookUrl(), settings.webhookSecret());
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalStateException("--webhook: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("--webhook: interrupted", e);
        }
    }

    /**
     * Runs the school clock once every gateway has its school's attendance plan (its switch-on time is then the
     * morning's 06:45, before the bell, so the whole morning is judged), and the door readers with it.
     */
    private static void startMorning(Builder b) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        for (Gateway gateway : b.gateways) {
            while (!gateway.attendance().on() && System.nanoTime() < deadline) {
                pause();
            }
            if (!gateway.attendance().on()) {
                LOG.warn("[gateway: {}] has no attendance plan from the hub within {} s; its school's morning may not be"
                        + " judged", gateway.config().gatewayId(), START_TIMEOUT_SECONDS);
            }
        }
        b.doorPublishers.sort(Comparator.comparing(FirmwarePublisher::school));
        b.schoolClock.run();
        b.morningDoors = new VirtualFirmware(b.doorPublishers, b.schoolClock, MORNING_TICK_MILLIS, "demo-morning-doors");
        b.morningDoors.start();
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the gateways took their attendance plans", e);
        }
    }

    /**
     * The demo's alarms, from the moment it goes live ({@code live}, after the history): the first school's
     * full classroom r101 and warm lab fridge ({@link Scenario#demoAlarms}), the second school's silent
     * sensor r102-air ({@link Scenario#demoSilence}; the first school's when there is one school, none with
     * one classroom).
     */
    static Scenario scenario(int index, int schools, int roomsPerSchool, long live) {
        Scenario scenario = index == 0 ? Scenario.demoAlarms(live) : Scenario.NONE;
        boolean silent = roomsPerSchool >= 2 && (index == 1 || (index == 0 && schools == 1));
        return silent ? scenario.and(Scenario.demoSilence(live)) : scenario;
    }

    private static void startSchool(Builder b, DemoSchool school, long start, Scenario scenario, CodecRegistry codecs)
            throws MqttException {
        SchoolSimulation simulation = new SchoolSimulation(school.id(), SchoolLayout.of(b.settings.roomsPerSchool()), SEED,
                start, scenario);
        SchoolClock schoolClock = b.schoolClock;
        MorningDoors doors = schoolClock == null ? null
                : MorningDoors.of(school.id(), simulation.rosters(), schoolClock.morning(), SEED);
        // the school's roster from the simulation's classes, so that its door readers' taps become attendance
        b.hub.rosters().importFiles(school.id(), org.smartschool.hub.roster.Rosters.Format.CSV,
                doors == null ? DemoRoster.files(simulation.rosters(), java.time.LocalDate.now(SchoolTimetable.ZONE))
                        : DemoRoster.files(simulation.rosters(), schoolClock.morning().day(), doors.revokedCards()),
                DemoInventory.simulatedRooms(b.settings.roomsPerSchool()).keySet());
        org.smartschool.gateway.config.GatewayConfig config = gatewayConfig(b.settings, school, simulation, b.broker.url(),
                b.hub.mqttPort());
        // with the morning on, attendance (door taps and cut-offs) runs on the school clock; all else on the real one
        Gateway gateway = schoolClock == null ? Gateway.start(config, codecs)
                : Gateway.start(config, codecs, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                        schoolClock::millis, schoolClock::at);
        b.gateways.add(gateway);
        // the history is published once, at the first tick: a gateway not yet subscribed would never see it
        awaitSubscribed(gateway);
        if (doors == null) {
            b.publishers.add(FirmwarePublisher.connect(b.broker.url(), simulation));
        } else {
            // the simulation's own door readers tap in real school hours: the morning's replace them
            b.publishers.add(FirmwarePublisher.connect(b.broker.url(), "sim-" + school.id(), school.id(),
                    now -> withoutDoors(simulation.messagesUntil(now))));
            b.doorPublishers.add(FirmwarePublisher.connect(b.broker.url(), "doors-" + school.id(), school.id(), doors::until));
            b.doors.put(school.id(), doors);
        }
    }

    private static List<org.smartschool.bridge.sim.SimulatedMessage> withoutDoors(
            List<org.smartschool.bridge.sim.SimulatedMessage> messages) {
        return messages.stream().filter(m -> !m.topic().startsWith(DOOR_TOPICS)).toList();
    }

    /**
     * One CoAP server for the whole district: {@code /{school}/...} goes to that school's gateway,
     * which routes {@code {room}/{device}} and records like its own server would. Plain CoAP on
     * loopback, as the rest of the demo.
     */
    private static CoapDeviceServer startCoap(DemoSettings settings, List<Gateway> gateways) {
        java.util.Map<String, CoapSite> sites = new java.util.HashMap<>();
        for (Gateway gateway : gateways) {
            sites.put(gateway.config().school(), gateway.coapSite());
        }
        CoapSettings coap = CoapSettings.defaults().withPorts("127.0.0.1", settings.coapPort(), true, 0).withEnabled(true);
        return CoapDeviceServer.start(coap, sites, DeviceKeys.none(),
                new GatewayMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "demo-coap"), "demo");
    }

    private static HubConfig hubConfig(DemoSettings settings, List<DemoSchool> schools) {
        List<GatewayConfig> gateways = schools.stream()
                .map(s -> new GatewayConfig(s.gatewayId(), s.id(), s.name(), s.secret(), null))
                .toList();
        return HubConfig.defaults()
                .withHttp(new HttpConfig(settings.httpHost(), settings.httpPort()))
                .withMqtt(new MqttConfig("127.0.0.1", 0, MqttConfig.ONE_MIB))
                .withStore(storeConfig(settings))
                .withGateways(gateways)
                .withFleet(FLEET);
    }

    private static StoreConfig storeConfig(DemoSettings settings) {
        StoreConfig sqlite = new StoreConfig(storePath(settings).toString());
        return settings.influx() == null ? sqlite : sqlite.withInflux(settings.influx());
    }

    /**
     * The example inventory (its schools, rooms and devices are the simulated ones) into the data
     * directory, where the user can read and edit it; the hub loads it at start like {@code serve} does.
     * Simulated schools and rooms it lacks (more than its three schools or eight classrooms) are added
     * ({@link DemoInventory}), so that the registry knows every simulated room's kind; a kept data
     * directory keeps the user's edits and only gets what is missing.
     */
    static Path writeInventory(Path dataDir, List<DemoSchool> schools, int roomsPerSchool) throws java.io.IOException {
        Path file = dataDir.resolve("inventory.yaml");
        byte[] yaml;
        String source;
        if (Files.exists(file)) {
            yaml = Files.readAllBytes(file);
            source = file.toString();
        } else {
            try (java.io.InputStream in = DemoDistrict.class.getResourceAsStream(EXAMPLE_INVENTORY)) {
                if (in == null) {
                    throw new IllegalStateException("the hub jar lacks " + EXAMPLE_INVENTORY);
                }
                yaml = in.readAllBytes();
            }
            source = EXAMPLE_INVENTORY;
        }
        Registry written = InventoryReader.read(source, yaml);
        Registry complete = DemoInventory.complete(written, schools, roomsPerSchool);
        if (!complete.equals(written)) {
            Files.writeString(file, InventoryWriter.write(complete));
        } else if (!Files.exists(file)) {
            Files.write(file, yaml); // as shipped, comments and all
        }
        return file;
    }

    private static Path storePath(DemoSettings settings) {
        return settings.dataDir().resolve("hub-store.db");
    }

    private static org.smartschool.gateway.config.GatewayConfig gatewayConfig(
            DemoSettings settings, DemoSchool school, SchoolSimulation simulation, String brokerUrl, int hubMqttPort) {
        SchoolNamespace namespace = new SchoolNamespace(school.id());
        OutboxSettings outboxDefaults = OutboxSettings.defaults();
        Path outbox = settings.dataDir().resolve("gateways").resolve(school.id() + "-outbox.db");
        return new org.smartschool.gateway.config.GatewayConfig(school.gatewayId(), school.id(),
                SouthSettings.defaults().withUrl(brokerUrl).withRoutes(namespace.routes(simulation.routes())),
                new NorthSettings("tcp://127.0.0.1:" + hubMqttPort, school.secret()),
                new OutboxSettings(outbox.toString(), outboxDefaults.maxRecords(), outboxDefaults.maxDeadLetters()),
                UplinkSettings.defaults());
    }

    /** Where the page and API are, as a browser on this machine reaches them. */
    public String url() {
        return "http://localhost:" + hub.httpPort() + "/";
    }

    /** A login per role, with the passwords generated at this start. */
    List<DemoLogins.Login> logins() {
        return logins.logins();
    }

    /** An admin API token for the demo's own calls (and tests): {@code Authorization: Bearer TOKEN}. */
    public String apiToken() {
        return logins.apiToken();
    }

    public int httpPort() {
        return hub.httpPort();
    }

    /** The UDP port where devices POST SenML to {@code coap://127.0.0.1:PORT/{school}/{room}/{device}}. */
    public int coapPort() {
        return coap.port();
    }

    /** The settings in effect: no history when the data directory already held a store. */
    public DemoSettings settings() {
        return settings;
    }

    /** The simulated school morning, or null when it is off ({@code --morning-speed off}). */
    public SchoolMorning morning() {
        return schoolClock == null ? null : schoolClock.morning();
    }

    /** The morning's door taps of a school, or null (the morning is off, or no such school). */
    MorningDoors doors(String school) {
        return doors.get(school);
    }

    /** A school's gateway (its attendance counters, its outbox), or null. */
    Gateway gateway(String school) {
        return gateways.stream().filter(g -> g.config().school().equals(school)).findFirst().orElse(null);
    }

    /** The schools' ids, in order: school-01, school-02, ... */
    public List<String> schoolIds() {
        return schools.stream().map(DemoSchool::id).toList();
    }

    /**
     * Stops the devices, then the gateways (each finishes its batch in flight), then the hub, then
     * the broker; each step runs even when an earlier one failed. Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (coap != null) {
            step("CoAP server", coap::close);
        }
        if (morningDoors != null) {
            step("the morning's door readers", morningDoors::close);
        } else {
            for (FirmwarePublisher p : doorPublishers) {
                step("door readers of " + p.school(), p::close);
            }
        }
        if (firmware != null) {
            step("simulated devices", firmware::close);
        } else {
            for (FirmwarePublisher p : publishers) { // a start that failed before the firmware ran
                step("simulated devices of " + p.school(), p::close);
            }
        }
        closeGateways();
        if (hub != null) {
            step("hub", () -> await(hub.close(), "the hub's stop", STOP_TIMEOUT_SECONDS));
        }
        if (vertx != null) {
            step("Vert.x", () -> await(vertx.close(), "Vert.x's stop", STOP_TIMEOUT_SECONDS));
        }
        if (broker != null) {
            step("device broker", broker::close);
        }
        LOG.info("Demo district stopped");
    }

    /** Side by side: each waits for its batch in flight, and a district has up to 50. */
    private void closeGateways() {
        ExecutorService stopper = Executors.newFixedThreadPool(STARTER_THREADS, r -> {
            Thread t = new Thread(r, "demo-stop");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
            for (Gateway gateway : gateways) {
                stops.add(stopper.submit(() -> step("gateway " + gateway.config().gatewayId(), gateway::close)));
            }
            for (java.util.concurrent.Future<?> stop : stops) {
                step("a gateway", () -> join(stop, "a gateway's stop"));
            }
        } finally {
            stopper.shutdownNow();
        }
    }

    private static void step(String what, Runnable stop) {
        try {
            stop.run();
        } catch (RuntimeException e) {
            LOG.warn("Stopping {} failed: {}", what, e.toString());
        }
    }

    private static void awaitSubscribed(Gateway gateway) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!gateway.southSubscribed()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway " + gateway.config().gatewayId()
                        + ": not subscribed to the device broker within " + START_TIMEOUT_SECONDS + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while gateway " + gateway.config().gatewayId() + " subscribed", e);
            }
        }
    }

    private static <T> T join(java.util.concurrent.Future<T> future, String what) {
        try {
            return future.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": not started within " + START_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    /** Runs every step of a parallel start, keeping the first failure, so that all that started is known. */
    private static final class Failures {
        private RuntimeException first;

        void run(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }

        void throwFirst() {
            if (first != null) {
                throw first;
            }
        }
    }

    private static <T> T await(Future<T> future, String what, long seconds) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(what + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + ": no answer within " + seconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    /** What has been started so far, so that a failed start stops exactly that. */
    private static final class Builder {
        final DemoSettings settings;
        List<DemoSchool> schools = List.of();
        EmbeddedDeviceBroker broker;
        Vertx vertx;
        Hub hub;
        // filled by the starter threads
        final List<Gateway> gateways = new CopyOnWriteArrayList<>();
        final List<FirmwarePublisher> publishers = new CopyOnWriteArrayList<>();
        VirtualFirmware firmware;
        final List<FirmwarePublisher> doorPublishers = new CopyOnWriteArrayList<>();
        final java.util.Map<String, MorningDoors> doors = new java.util.concurrent.ConcurrentHashMap<>();
        SchoolClock schoolClock;
        VirtualFirmware morningDoors;
        CoapDeviceServer coap;
        DemoLogins.Made logins;

        Builder(DemoSettings settings) {
            this.settings = settings;
        }
    }
}

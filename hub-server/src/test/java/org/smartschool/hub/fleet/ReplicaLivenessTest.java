package org.smartschool.hub.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_2;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.FleetConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.TestPostgres;

/**
 * Two real hubs (replicas) on one PostgreSQL state database, each with its own MQTT port, and a real Paho MQTT 5
 * gateway that moves from one to the other, as behind a load balancer or in a rolling upgrade: the fleet events and
 * alarms are those one hub would make. Real clock, short limits: a gateway is silent after 5 s, a sensor after 7 s.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicaLivenessTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final FleetConfig FLEET = new FleetConfig(1, 5, 3, 1, 7);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final List<Hub> hubs = new ArrayList<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws Exception {
        sender.shutdownNow();
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        for (Hub hub : hubs) {
            HubFixture.await(hub.close());
        }
    }

    private Hub replica(Vertx vertx, String name, TestPostgres postgres) throws Exception {
        Path own = Files.createDirectories(dir.resolve(name));
        HubConfig config = HubFixture.replicaConfig(own, postgres.url()).withFleet(FLEET);
        Hub hub = HubFixture.await(Hub.start(vertx, config));
        hubs.add(hub);
        return hub;
    }

    private TestGateway connect(Hub hub, String school, String gateway, String secret) throws Exception {
        TestGateway g = TestGateway.connect(hub.mqttPort(), school, gateway, secret);
        closeAfter.add(g);
        return g;
    }

    /** One reading of each device now: the hub learns their interval from the gaps between batches. */
    private static Batch batch(String gateway, String school, String... devices) {
        long now = System.currentTimeMillis();
        List<Reading> readings = new ArrayList<>();
        for (String device : devices) {
            readings.add(Reading.of(new DeviceRef(school, "r1-01", device), Quantity.CO2, 600, now));
        }
        return new Batch(UUID.randomUUID().toString(), gateway, school, readings, List.of());
    }

    /** Every recorded event of a gateway, oldest first, once both replicas recorded what they handed over. */
    private List<FleetEvent> events(String gateway) throws Exception {
        for (Hub hub : hubs) {
            hub.fleetMonitor().flush().get(10, TimeUnit.SECONDS);
        }
        List<FleetEvent> out = new ArrayList<>(hubs.get(0).fleetEvents()
                .query(new FleetEventQuery(null, gateway, null, 0, Long.MAX_VALUE, 1000)));
        Collections.reverse(out);
        return out;
    }

    private List<String> types(String gateway) throws Exception {
        return events(gateway).stream().map(e -> e.type().label() + (e.cause() == null ? "" : "/" + e.cause()))
                .filter(t -> !t.startsWith("sensor_")).toList();
    }

    private long count(String gateway, FleetEventType type) throws Exception {
        return events(gateway).stream().filter(e -> e.type() == type).count();
    }

    /** Alarms of a rule on a device: all of them, and those not cleared. */
    private static int[] alarms(TestPostgres postgres, String rule, String device) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.url());
             PreparedStatement st = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE cleared_at IS NULL)"
                     + " FROM alarm WHERE rule = ? AND device = ?")) {
            st.setString(1, rule);
            st.setString(2, device);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private static GatewayLiveness liveness(Hub hub, String gateway) {
        return hub.fleetMonitor().gateways().stream().filter(g -> g.gateway().equals(gateway)).findFirst().orElse(null);
    }

    /**
     * Verifies that a gateway that moves from replica A to replica B and keeps sending is silent for neither (no
     * event, no alarm) while A's checks run well past the limits (proved by another gateway and a sensor going silent
     * on A); that when it stops entirely, both replicas take it for silent but there is exactly one
     * {@code gateway_silent} and one alarm; and that its return to the other replica clears that alarm once.
     */
    @Test
    void aGatewayThatMovesBetweenReplicasMakesTheEventsAndAlarmsOfOneHub(Vertx vertx) throws Exception {
        try (TestPostgres postgres = TestPostgres.create("replicas")) {
            Hub a = replica(vertx, "a", postgres);
            Hub b = replica(vertx, "b", postgres);

            TestGateway onA = connect(a, SCHOOL_1, GATEWAY_1, SECRET_1);
            assertThat(onA.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01")).reasonCode()).isZero();
            onA.close();
            TestGateway onB = connect(b, SCHOOL_1, GATEWAY_1, SECRET_1);
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger acked = new AtomicInteger();
            Future<?> loop = sender.submit(() -> {
                while (sending.get()) {
                    if (onB.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01")).reasonCode() == 0) {
                        acked.incrementAndGet();
                    }
                    Thread.sleep(200); // the gateway's own batch period, not a wait for a condition
                }
                return null;
            });

            // the path is live: on A, a sensor that stops and then a gateway that stops are found silent, later
            // than the limits since gateway 1 was last on A
            TestGateway control = connect(a, SCHOOL_2, GATEWAY_2, SECRET_2);
            control.sendBatch(batch(GATEWAY_2, SCHOOL_2, "co2-a", "co2-b"));
            Poll.until(WAIT, "sensor co2-b of gateway 2 silent on replica A", () -> {
                control.sendBatch(batch(GATEWAY_2, SCHOOL_2, "co2-a"));
                return count(GATEWAY_2, FleetEventType.SENSOR_SILENT) == 1;
            });
            control.close();
            Poll.until(WAIT, "gateway 2 silent on replica A", () -> count(GATEWAY_2, FleetEventType.GATEWAY_SILENT) == 1);
            assertThat(loop.isDone()).as("gateway 1 still sending to B").isFalse();
            assertThat(acked.get()).isGreaterThan(10);

            assertThat(types(GATEWAY_1)).containsExactly("gateway_online", "gateway_offline/disconnected",
                    "gateway_online");
            assertThat(count(GATEWAY_1, FleetEventType.SENSOR_SILENT)).isZero();
            assertThat(alarms(postgres, "gateway-silent", GATEWAY_1)).containsExactly(0, 0);
            assertThat(alarms(postgres, "sensor-silent", "co2-r1-01")).containsExactly(0, 0);
            assertThat(liveness(a, GATEWAY_1).silentSince()).isNull();
            assertThat(liveness(b, GATEWAY_1).silentSince()).isNull();
            assertThat(liveness(b, GATEWAY_1).online()).isTrue();
            assertThat(liveness(a, GATEWAY_1).online()).as("connected to B: online on A's answers too").isTrue();

            // it stops entirely: both replicas judge it silent, one event and one alarm
            sending.set(false);
            loop.get(10, TimeUnit.SECONDS);
            Poll.until(WAIT, "gateway 1 silent on both replicas",
                    () -> liveness(a, GATEWAY_1).silentSince() != null && liveness(b, GATEWAY_1).silentSince() != null);
            assertThat(count(GATEWAY_1, FleetEventType.GATEWAY_SILENT)).isEqualTo(1);
            assertThat(alarms(postgres, "gateway-silent", GATEWAY_1)).containsExactly(1, 1);
            assertThat(count(GATEWAY_1, FleetEventType.SENSOR_SILENT)).isZero();

            // it comes back on A: the alarm clears once, and both replicas see it back
            onB.close();
            TestGateway back = connect(a, SCHOOL_1, GATEWAY_1, SECRET_1);
            assertThat(back.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01")).reasonCode()).isZero();
            Poll.until(WAIT, "the gateway-silent alarm of gateway 1 cleared",
                    () -> alarms(postgres, "gateway-silent", GATEWAY_1)[1] == 0);
            Poll.until(WAIT, "gateway 1 not silent on either replica",
                    () -> liveness(a, GATEWAY_1).silentSince() == null && liveness(b, GATEWAY_1).silentSince() == null);
            assertThat(count(GATEWAY_1, FleetEventType.GATEWAY_BACK)).isEqualTo(1);
            assertThat(count(GATEWAY_1, FleetEventType.GATEWAY_SILENT)).isEqualTo(1);
            assertThat(alarms(postgres, "gateway-silent", GATEWAY_1)).containsExactly(1, 0);
            assertThat(liveness(a, GATEWAY_1).online()).isTrue();
            Poll.until(WAIT, "gateway 1 online on B's answers, connected to A",
                    () -> liveness(b, GATEWAY_1).online());
            // its connection to A ends: offline on both (B's late offline of its own old connection changed nothing)
            back.close();
            Poll.until(WAIT, "gateway 1 offline on both replicas",
                    () -> !liveness(a, GATEWAY_1).online() && !liveness(b, GATEWAY_1).online());
            for (Hub hub : List.copyOf(hubs)) {
                HubFixture.await(hub.close());
            }
            hubs.clear();
        }
    }

    private static long sensorEvents(List<FleetEvent> events, FleetEventType type, String device) {
        return events.stream().filter(e -> e.type() == type && device.equals(e.device())).count();
    }

    /**
     * Verifies that a sensor both replicas heard from is silent once across them when it stops while its gateway
     * keeps sending (through B), with one alarm, and that its next reading through the other replica (A) ends
     * that silence and clears the alarm once.
     */
    @Test
    void aSensorBothReplicasKnowFallsSilentAndComesBackOnce(Vertx vertx) throws Exception {
        try (TestPostgres postgres = TestPostgres.create("replicasensor")) {
            Hub a = replica(vertx, "a", postgres);
            Hub b = replica(vertx, "b", postgres);
            TestGateway onA = connect(a, SCHOOL_1, GATEWAY_1, SECRET_1);
            assertThat(onA.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01", "co2-r1-02")).reasonCode()).isZero();
            onA.close();
            TestGateway onB = connect(b, SCHOOL_1, GATEWAY_1, SECRET_1);
            assertThat(onB.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01", "co2-r1-02")).reasonCode()).isZero();

            // co2-r1-02 stops; the gateway and co2-r1-01 go on through B until both replicas take it for silent
            Poll.until(WAIT, "co2-r1-02 silent on both replicas", () -> {
                onB.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01"));
                events(GATEWAY_1);
                return a.fleetMonitor().silentSensors() == 1 && b.fleetMonitor().silentSensors() == 1;
            });
            List<FleetEvent> events = events(GATEWAY_1);
            assertThat(sensorEvents(events, FleetEventType.SENSOR_SILENT, "co2-r1-02")).isEqualTo(1);
            assertThat(sensorEvents(events, FleetEventType.SENSOR_SILENT, "co2-r1-01")).isZero();
            assertThat(count(GATEWAY_1, FleetEventType.GATEWAY_SILENT)).isZero();
            assertThat(alarms(postgres, "sensor-silent", "co2-r1-02")).containsExactly(1, 1);

            // it is heard again through A: one sensor_back, the alarm cleared, neither replica takes it for silent
            onB.close();
            TestGateway again = connect(a, SCHOOL_1, GATEWAY_1, SECRET_1);
            Poll.until(WAIT, "co2-r1-02 back on both replicas", () -> {
                again.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01", "co2-r1-02"));
                return a.fleetMonitor().silentSensors() == 0 && b.fleetMonitor().silentSensors() == 0
                        && alarms(postgres, "sensor-silent", "co2-r1-02")[1] == 0;
            });
            events = events(GATEWAY_1);
            assertThat(sensorEvents(events, FleetEventType.SENSOR_BACK, "co2-r1-02")).isEqualTo(1);
            assertThat(sensorEvents(events, FleetEventType.SENSOR_SILENT, "co2-r1-02")).isEqualTo(1);
            assertThat(alarms(postgres, "sensor-silent", "co2-r1-02")).containsExactly(1, 0);
            for (Hub hub : List.copyOf(hubs)) {
                HubFixture.await(hub.close());
            }
            hubs.clear();
        }
    }

    /**
     * Verifies that a replica restarting while a gateway is connected to another one does not record the
     * gateway offline ("the hub restarted"), though it does for a gateway whose last connection ended with a
     * crashed process long ago (the path is live); and that it then judges the gateway by the other's contacts.
     */
    @Test
    void aReplicaRestartLeavesAGatewayConnectedElsewhereOnline(Vertx vertx) throws Exception {
        try (TestPostgres postgres = TestPostgres.create("replicarestart")) {
            Hub a = replica(vertx, "a", postgres);
            Hub b = replica(vertx, "b", postgres);
            TestGateway onB = connect(b, SCHOOL_1, GATEWAY_1, SECRET_1);
            assertThat(onB.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01")).reasonCode()).isZero();
            Poll.until(WAIT, "B wrote the contact of gateway 1", () -> sharedLastSeen(postgres, GATEWAY_1) > 0);
            // as a hub that crashed long ago leaves it: gateway 2 online, last heard a day ago
            long dayAgo = System.currentTimeMillis() - 86_400_000L;
            try (Connection c = DriverManager.getConnection(postgres.url());
                 PreparedStatement status = c.prepareStatement("INSERT INTO hub_gateway_status (gateway, school, last_seen)"
                         + " VALUES (?, ?, ?)");
                 PreparedStatement online = c.prepareStatement("INSERT INTO fleet_event (ts, gateway, school, type, detail)"
                         + " VALUES (?, ?, ?, 'gateway_online', 'connected')")) {
                status.setString(1, GATEWAY_2);
                status.setString(2, SCHOOL_2);
                status.setLong(3, dayAgo);
                status.executeUpdate();
                online.setLong(1, dayAgo);
                online.setString(2, GATEWAY_2);
                online.setString(3, SCHOOL_2);
                online.executeUpdate();
            }

            HubFixture.await(a.close());
            hubs.remove(a);
            Hub restarted = replica(vertx, "a", postgres);
            AtomicBoolean sending = new AtomicBoolean(true);
            Future<?> loop = sender.submit(() -> {
                while (sending.get()) {
                    onB.sendBatch(batch(GATEWAY_1, SCHOOL_1, "co2-r1-01"));
                    Thread.sleep(200); // the gateway's own batch period, not a wait for a condition
                }
                return null;
            });
            assertThat(types(GATEWAY_2)).containsExactly("gateway_online", "gateway_offline/connection_lost");
            assertThat(types(GATEWAY_1)).containsExactly("gateway_online");
            Poll.until(WAIT, "gateway 2 silent since a day", () -> count(GATEWAY_2, FleetEventType.GATEWAY_SILENT) == 1);
            // the path is live: gateway 2 heard on the restarted replica, then silent there past the limit, longer than
            // the restarted replica has gone without a contact of gateway 1 of its own
            TestGateway control = connect(restarted, SCHOOL_2, GATEWAY_2, SECRET_2);
            assertThat(control.sendBatch(batch(GATEWAY_2, SCHOOL_2, "co2-a")).reasonCode()).isZero();
            control.close();
            Poll.until(WAIT, "gateway 2 silent again", () -> count(GATEWAY_2, FleetEventType.GATEWAY_SILENT) == 2);
            assertThat(loop.isDone()).isFalse();
            assertThat(types(GATEWAY_1)).containsExactly("gateway_online");
            assertThat(liveness(restarted, GATEWAY_1).silentSince()).isNull();
            sending.set(false);
            loop.get(10, TimeUnit.SECONDS);
            for (Hub hub : List.copyOf(hubs)) {
                HubFixture.await(hub.close());
            }
            hubs.clear();
        }
    }

    private static long sharedLastSeen(TestPostgres postgres, String gateway) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.url());
             PreparedStatement st = c.prepareStatement("SELECT last_seen FROM fleet_gateway_contact WHERE gateway = ?")) {
            st.setString(1, gateway);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}

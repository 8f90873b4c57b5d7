package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_2;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.alarm.AlarmId;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.testsupport.EventStreamClient;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestAuth;
import org.smartschool.hub.testsupport.TestGateway;
import org.smartschool.hub.testsupport.TestPostgres;

/**
 * Live event streams behind several replicas: two real hubs on one PostgreSQL (as behind a load balancer), a
 * console's stream on either sees what the other learnt, once, and a school's stream only its school.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EventStreamReplicasTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final List<Hub> hubs = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        for (Hub hub : hubs) {
            HubFixture.await(hub.close());
        }
    }

    /**
     * Verifies that a gateway's reading and alarm on replica A reach the district's stream on replica B, that an
     * acknowledgement made through B reaches A's stream, that school B's gateway on B reaches A's stream, that
     * each replica's streams get each event once (its own events do not come back to it), and that school B's
     * viewer on B never gets school A's events.
     */
    @Test
    void aStreamOnOneReplicaCarriesWhatTheOtherLearnt(Vertx vertx) throws Exception {
        try (TestPostgres postgres = TestPostgres.create("livereplicas")) {
            Hub a = replica(vertx, "a", postgres);
            Hub b = replica(vertx, "b", postgres);
            EventStreamClient onA = stream(a, TestAuth.token(a, Role.DISTRICT_OPERATOR, null));
            EventStreamClient onB = stream(b, TestAuth.token(b, Role.DISTRICT_OPERATOR, null));
            EventStreamClient schoolTwoOnB = stream(b, TestAuth.token(b, Role.SCHOOL_VIEWER, SCHOOL_2));
            for (EventStreamClient s : List.of(onA, onB, schoolTwoOnB)) {
                s.next("ready");
            }

            long now = System.currentTimeMillis();
            String alarm = AlarmId.of(SCHOOL_1, "r101/r101-air", "co2", now - 5_000);
            TestGateway one = gateway(a, SCHOOL_1, GATEWAY_1, SECRET_1);
            assertThat(one.sendBatch(EventStreamTest.batch(GATEWAY_1, SCHOOL_1, "a-1", "r101", 1640, alarm, now))
                    .reasonCode()).isZero();
            for (EventStreamClient s : List.of(onA, onB)) {
                JsonObject reading = s.until("reading", e -> e.getString("room").equals("r101"));
                assertThat(reading.getString("school")).isEqualTo(SCHOOL_1);
                assertThat(reading.getJsonArray("values").getJsonObject(0).getDouble("value")).isEqualTo(1640.0);
                assertThat(s.until("alarm", e -> e.getJsonObject("alarm").getString("id").equals(alarm))
                        .getString("change")).isEqualTo("raised");
            }

            // acknowledged through replica B: replica A's stream hears of it
            Http.Response acked = Http.admin(b).send("POST", "/api/v1/alarms/" + alarm + "/ack", "{\"by\":\"lan\"}");
            assertThat(acked.status()).as(acked.body()).isEqualTo(200);
            JsonObject ack = onA.until("alarm", e -> e.getString("change").equals("acknowledged"));
            assertThat(ack.getJsonObject("alarm").getString("id")).isEqualTo(alarm);
            assertThat(ack.getJsonObject("alarm").getJsonObject("acknowledged").getString("by")).isEqualTo("lan");

            // school B's gateway on replica B: A's district stream and B's school stream get it
            TestGateway two = gateway(b, SCHOOL_2, GATEWAY_2, SECRET_2);
            assertThat(two.sendBatch(EventStreamTest.batch(GATEWAY_2, SCHOOL_2, "b-1", "rb1", 700,
                    AlarmId.of(SCHOOL_2, "rb1/rb1-air", "co2", now - 5_000), now)).reasonCode()).isZero();
            for (EventStreamClient s : List.of(onA, onB, schoolTwoOnB)) {
                assertThat(s.until("reading", e -> e.getString("room").equals("rb1")).getString("school")).isEqualTo(SCHOOL_2);
            }

            // each event once on every stream: A's own did not come back to A before B's, which came after them
            for (EventStreamClient s : List.of(onA, onB)) {
                assertThat(s.received().stream().filter(e -> e.startsWith("reading ") && e.contains("\"r101\"")))
                        .as("r101's reading on a stream").hasSize(1);
                assertThat(s.received().stream().filter(e -> e.startsWith("alarm ") && e.contains("\"acknowledged\"")))
                        .as("the acknowledgement on a stream").hasSize(1);
            }
            assertThat(schoolTwoOnB.received()).as("school B's viewer").noneMatch(e -> e.contains(SCHOOL_1));
            assertThat(counter(a, "hub_live_relay_sent_total")).isGreaterThanOrEqualTo(2.0);
            assertThat(counter(a, "hub_live_relay_received_total")).isGreaterThanOrEqualTo(2.0);
            assertThat(counter(b, "hub_live_relay_dropped_total")).isZero();

            for (Hub hub : List.copyOf(hubs)) { // before the database goes
                HubFixture.await(hub.close());
            }
            hubs.clear();
        }
    }

    private Hub replica(Vertx vertx, String name, TestPostgres postgres) throws Exception {
        Path own = Files.createDirectories(dir.resolve(name));
        HubConfig config = HubFixture.replicaConfig(own, postgres.url());
        Hub hub = HubFixture.await(Hub.start(vertx, config));
        hubs.add(hub);
        return hub;
    }

    private EventStreamClient stream(Hub hub, String token) throws Exception {
        EventStreamClient s = new EventStreamClient(hub.httpPort(), token, "");
        closeAfter.add(s);
        return s;
    }

    private TestGateway gateway(Hub hub, String school, String gateway, String secret) throws Exception {
        TestGateway g = TestGateway.connect(hub.mqttPort(), school, gateway, secret);
        closeAfter.add(g);
        return g;
    }

    /** A counter's value from the replica's /metrics. */
    private static double counter(Hub hub, String name) throws Exception {
        for (String line : Http.admin(hub).get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not in /metrics");
    }
}

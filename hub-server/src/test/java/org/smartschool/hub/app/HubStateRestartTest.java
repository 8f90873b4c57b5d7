package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.Poll;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The hub's state across restarts and upgrades: batch ids, gateway status and fleet events live in the state
 * database, so a restarted hub still tells replays, lists its gateways with their last contact, and answers for
 * past fleet events; a hub started on the data directory of an older version copies its files over once.
 */
@Timeout(90)
class HubStateRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private Vertx vertx;
    private Hub hub;
    private HubConfig config;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        config = HubFixture.config(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (hub != null) {
            HubFixture.await(hub.close());
        }
        HubFixture.await(vertx.close());
    }

    /**
     * Verifies that after a restart the gateway is still listed, offline, with the last seen time it had, its
     * online and offline events are still queryable, and a batch stored before the restart is a replay.
     */
    @Test
    void fleetAndBatchIdsSurviveARestart() throws Exception {
        hub = HubFixture.start(vertx, config);
        String lastSeen;
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-1", Batches.T0, 2))
                    .reasonCode()).isZero();
            JsonObject before = gateway(Http.admin(hub));
            assertThat(before.getBoolean("online")).isTrue();
            lastSeen = before.getString("lastSeen");
        }
        Http http = Http.admin(hub);
        Poll.until(WAIT, "the gateway offline", () -> !gateway(http).getBoolean("online"));
        HubFixture.await(hub.close());

        hub = HubFixture.start(vertx, config);
        Http again = Http.admin(hub);
        JsonObject after = gateway(again);
        assertThat(after.getString("school")).isEqualTo(SCHOOL_1);
        assertThat(after.getBoolean("online")).isFalse();
        // the state database stamps the batch a moment before the monitor does (two clock reads, same batch)
        assertThat(Duration.between(Instant.parse(after.getString("lastSeen")), Instant.parse(lastSeen)).abs())
                .isLessThan(Duration.ofSeconds(1));
        assertThat(after.getValue("silentSince")).isNull();
        assertThat(types(again, GATEWAY_1)).containsExactly("gateway_offline", "gateway_online");

        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-1", Batches.T0, 2))
                    .reasonCode()).isZero();
            assertThat(again.metric("hub_batches_replayed_total")).isEqualTo(1.0);
            Poll.until(WAIT, "the gateway online again", () -> gateway(again).getBoolean("online"));
        }
    }

    /**
     * Verifies the upgrade from a data directory of an older version (batch ids and gateway status in hub-store.db,
     * fleet events in hub-fleet.db): a batch recorded there is a replay, the gateway and its events are there, and
     * a second start copies nothing again.
     */
    @Test
    void hubOnAnOldDataDirectoryKeepsItsBatchIdsGatewaysAndEvents() throws Exception {
        long recent = System.currentTimeMillis() - 3_600_000;
        writeOldFiles(recent);

        hub = HubFixture.start(vertx, config);
        Http http = Http.admin(hub);
        JsonObject gateway = gateway(http);
        assertThat(gateway.getBoolean("online")).isFalse();
        assertThat(gateway.getString("lastSeen")).isEqualTo(Instant.ofEpochMilli(recent).toString());
        assertThat(types(http, GATEWAY_1)).containsExactly("session_taken_over");
        try (TestGateway gw = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            assertThat(gw.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, "old-batch", Batches.T0, 2)).reasonCode())
                    .isZero();
            assertThat(http.metric("hub_batches_replayed_total")).isEqualTo(1.0);
            assertThat(gw.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, "new-batch", Batches.T0 + 60_000, 2))
                    .reasonCode()).isZero();
            assertThat(http.metric("hub_batches_replayed_total")).isEqualTo(1.0);
        }
        HubFixture.await(hub.close());

        hub = HubFixture.start(vertx, config);
        List<String> types = types(Http.admin(hub), GATEWAY_1);
        assertThat(types).filteredOn("session_taken_over"::equals).hasSize(1);
    }

    /** The tables as the hub wrote them before the state database held them (old SqliteHubState, SqliteFleetEventLog). */
    private void writeOldFiles(long receivedAt) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub-store.db"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE batches (gateway TEXT NOT NULL, batch_id TEXT NOT NULL, school TEXT NOT NULL,"
                    + " received_at INTEGER NOT NULL, readings INTEGER NOT NULL, events INTEGER NOT NULL,"
                    + " PRIMARY KEY (gateway, batch_id)) WITHOUT ROWID");
            st.execute("CREATE TABLE gateway_status (gateway TEXT NOT NULL PRIMARY KEY, school TEXT NOT NULL,"
                    + " last_seen INTEGER NOT NULL, last_health TEXT, last_health_at INTEGER NOT NULL DEFAULT 0)");
            try (PreparedStatement batch = c.prepareStatement("INSERT INTO batches VALUES (?, 'old-batch', ?, ?, 2, 0)");
                 PreparedStatement status = c.prepareStatement("INSERT INTO gateway_status VALUES (?, ?, ?, NULL, 0)")) {
                batch.setString(1, GATEWAY_1);
                batch.setString(2, SCHOOL_1);
                batch.setLong(3, receivedAt);
                batch.executeUpdate();
                status.setString(1, GATEWAY_1);
                status.setString(2, SCHOOL_1);
                status.setLong(3, receivedAt);
                status.executeUpdate();
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hub-fleet.db"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE fleet_events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL,"
                    + " gateway TEXT NOT NULL, school TEXT NOT NULL, type TEXT NOT NULL, detail TEXT NOT NULL)");
            st.execute("INSERT INTO fleet_events (ts, gateway, school, type, detail) VALUES (" + receivedAt + ", '"
                    + GATEWAY_1 + "', '" + SCHOOL_1 + "', 'session_taken_over', 'before the upgrade')");
        }
    }

    private static JsonObject gateway(Http http) throws Exception {
        JsonArray gateways = http.get("/api/v1/fleet/gateways").json().getJsonArray("gateways");
        for (int i = 0; i < gateways.size(); i++) {
            if (GATEWAY_1.equals(gateways.getJsonObject(i).getString("gateway"))) {
                return gateways.getJsonObject(i);
            }
        }
        throw new AssertionError(GATEWAY_1 + " not in " + gateways);
    }

    /** The gateway's event types, newest first. */
    private static List<String> types(Http http, String gateway) throws Exception {
        JsonArray events = http.get("/api/v1/fleet/events?gateway=" + gateway).json().getJsonArray("events");
        return events.stream().map(e -> ((JsonObject) e).getString("type")).toList();
    }
}

package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.hub.testsupport.Batches.T0;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.HttpConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.testsupport.Batches;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;

/** The hub's life cycle: start, ports, close. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HubTest {
    private static final String READINGS = "/api/v1/readings?school=" + SCHOOL_1
            + "&room=r1-01&quantity=co2&from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";

    /** Verifies that two hubs run side by side in one Vert.x without sharing ports, data or counters. */
    @Test
    void twoHubsRunSideBySideWithoutSharingState(Vertx vertx, @TempDir Path a, @TempDir Path b) throws Exception {
        Hub first = HubFixture.start(vertx, HubFixture.config(a));
        Hub second = HubFixture.start(vertx, HubFixture.config(b));
        try {
            assertThat(first.mqttPort()).isPositive().isNotEqualTo(second.mqttPort());
            assertThat(first.httpPort()).isPositive().isNotEqualTo(second.httpPort());
            try (TestGateway gateway = TestGateway.connect(first.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
                assertThat(gateway.sendBatch(Batches.classroom(GATEWAY_1, SCHOOL_1, GATEWAY_1 + "-1-3", T0, 2))
                        .reasonCode()).isZero();
            }

            assertThat(Http.admin(first).get(READINGS).json().getJsonArray("readings")).hasSize(2);
            // the second hub has nothing of the room: it was never reported there
            assertThat(Http.admin(second).get(READINGS).status()).isEqualTo(404);
            assertThat(Http.admin(first).metric("hub_batches_stored_total")).isEqualTo(1.0);
            assertThat(Http.admin(second).metric("hub_batches_stored_total")).isEqualTo(0.0);
        } finally {
            HubFixture.await(first.close());
            HubFixture.await(second.close());
        }
    }

    /** Verifies that a hub that cannot bind its port fails to start and leaves nothing running or open. */
    @Test
    void failedStartLeavesNothingBehind(Vertx vertx, @TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HubConfig config = HubFixture.config(dir).withHttp(new HttpConfig("127.0.0.1", taken.getLocalPort()));

            assertThatThrownBy(() -> HubFixture.start(vertx, config))
                    .isInstanceOf(ExecutionException.class);

            assertThat(vertx.deploymentIDs()).isEmpty();
            // the store was closed: the file opens again and holds a usable schema
            try (HubStore store = HubFixture.openStore(config)) {
                store.ping();
            }
            assertThat(Files.exists(Path.of(config.store().path()))).isTrue();
        }
    }

    /** Verifies that closing twice is harmless and that the ports are free afterwards. */
    @Test
    void closeIsIdempotentAndFreesThePorts(Vertx vertx, @TempDir Path dir) throws Exception {
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir));
        int mqtt = hub.mqttPort();
        int http = hub.httpPort();

        HubFixture.await(hub.close());
        HubFixture.await(hub.close());

        assertThat(vertx.deploymentIDs()).isEmpty();
        try (ServerSocket s1 = new ServerSocket(mqtt, 1, InetAddress.getLoopbackAddress());
             ServerSocket s2 = new ServerSocket(http, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s1.getLocalPort()).isEqualTo(mqtt);
            assertThat(s2.getLocalPort()).isEqualTo(http);
        }
    }
}

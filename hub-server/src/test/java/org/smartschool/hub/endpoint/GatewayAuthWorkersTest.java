package org.smartschool.hub.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.uplink.BatchCodec;
import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.config.MqttConfig;
import org.smartschool.hub.fleet.FleetEvent;
import org.smartschool.hub.fleet.FleetEventLog;
import org.smartschool.hub.fleet.FleetEventQuery;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.registry.GatewayCredentials;
import org.smartschool.hub.store.HubStore;
import org.smartschool.hub.testsupport.TestStores;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The CONNECT credential check runs on the endpoint's own small worker pool, not on its event loop: a
 * registered gateway's PBKDF2 check (about 20 ms of CPU) must not hold up the other connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayAuthWorkersTest {
    private static final String SCHOOL = "school-auth";
    private static final String CONFIGURED = "gw-configured";
    private static final String REGISTERED = "gw-registered";
    private static final String SECRET = "configured-secret";
    private static final String REGISTERED_SECRET = "registered-secret";

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private HubStore store;

    @AfterEach
    void close() throws Exception {
        HubFixture.await(vertx.close());
        if (store != null) {
            store.close();
        }
    }

    /**
     * Verifies that while a registered gateway's check is held up, a configured gateway still connects, that the
     * check ran on a worker thread, and that the held-up gateway is admitted once its check ends.
     */
    @Test
    void aSlowCredentialCheckDoesNotHoldUpOtherConnections() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch checking = new CountDownLatch(1);
        List<String> checkThreads = new CopyOnWriteArrayList<>();
        GatewayCredentials slow = (id, secret) -> {
            checkThreads.add(Thread.currentThread().getName());
            if (!id.equals(REGISTERED) || !secret.equals(REGISTERED_SECRET)) {
                return Optional.empty();
            }
            checking.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(new GatewayCredentials.RegisteredGateway(REGISTERED, SCHOOL, "Auth school"));
        };
        int port = start(slow);

        Thread registered = new Thread(() -> {
            try {
                TestGateway.connect(port, SCHOOL, REGISTERED, REGISTERED_SECRET).close();
            } catch (Exception e) {
                checkThreads.add("failed: " + e);
            }
        });
        registered.start();
        assertThat(checking.await(20, TimeUnit.SECONDS)).as("the registered gateway's check started").isTrue();

        // the slow check is under way: the configured gateway is admitted meanwhile
        TestGateway.connect(port, SCHOOL, CONFIGURED, SECRET).close();
        assertThat(registered.isAlive()).as("the registered gateway still waits for its check").isTrue();

        release.countDown();
        registered.join(20_000);
        assertThat(registered.isAlive()).isFalse();
        assertThat(checkThreads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("hub-auth-"));
    }

    /** Verifies that a wrong secret checked on the worker pool is still answered with CONNACK 0x86. */
    @Test
    void aWrongSecretIsStillRefusedWithBadUserNameOrPassword() throws Exception {
        int port = start(GatewayCredentials.NONE);

        assertThatThrownBy(() -> TestGateway.connect(port, SCHOOL, CONFIGURED, "not-the-secret"))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
        assertThatThrownBy(() -> TestGateway.connect(port, SCHOOL, REGISTERED, REGISTERED_SECRET))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x86));
    }

    private int start(GatewayCredentials registered) throws Exception {
        store = TestStores.sqlite(dir.resolve("store.db"));
        MqttConfig mqtt = new MqttConfig("127.0.0.1", 0, HubConfig.defaults().mqtt().maxMessageBytes());
        IngestWorkers workers = new IngestWorkers(vertx.createSharedWorkerExecutor("test-decode", 1),
                vertx.createSharedWorkerExecutor("test-store", 2));
        GatewayEndpoint endpoint = new GatewayEndpoint(mqtt, List.of(new GatewayConfig(CONFIGURED, SCHOOL, SECRET)), store,
                workers, new NoFleetEvents(), new HubMetrics(new SimpleMeterRegistry()), new BatchCodec(),
                Clock.systemUTC(), registered);
        HubFixture.await(vertx.deployVerticle(endpoint));
        return endpoint.actualPort();
    }

    private static final class NoFleetEvents implements FleetEventLog {
        @Override
        public void record(FleetEvent event) {
        }

        @Override
        public List<FleetEvent> events(String gateway, long fromMillis, long toMillis, int limit) {
            return List.of();
        }

        @Override
        public List<FleetEvent> query(FleetEventQuery query) {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}

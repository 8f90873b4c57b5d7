package org.smartschool.gateway.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.support.Poll;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/** Verifies that the gateway observes a CoAP device (a real Californium server) and registers again after the device restarted. */
@Timeout(90)
class CoapObservationsTest {
    @TempDir
    Path dir;
    private Outbox outbox;
    private CoapObservations observations;
    private ObservedDevice device;

    /** A sensor that notifies its observers of a new CO2 value every 100 ms. */
    static final class Co2Resource extends CoapResource {
        private final AtomicInteger value;

        Co2Resource(int first) {
            super("air");
            value = new AtomicInteger(first);
            setObservable(true);
            setObserveType(CoAP.Type.CON);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            exchange.respond(ResponseCode.CONTENT, CoapFixture.senmlJson("co2", "ppm", value.get()), CoapDevices.SENML_JSON);
        }

        void next() {
            value.incrementAndGet();
            changed();
        }
    }

    /** The observed device: a Californium server on a fixed loopback port, restartable. */
    static final class ObservedDevice implements AutoCloseable {
        final CoapServer server;
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

        ObservedDevice(int port, int firstValue) {
            this(port, firstValue, null, null);
        }

        /** Over DTLS with one pre-shared key when {@code identity} is set. */
        ObservedDevice(int port, int firstValue, String identity, byte[] secret) {
            server = new CoapServer(CoapFixture.clientConfiguration());
            if (identity == null) {
                server.addEndpoint(CoapEndpoint.builder().setConfiguration(CoapFixture.clientConfiguration())
                        .setInetSocketAddress(new InetSocketAddress("127.0.0.1", port)).build());
            } else {
                org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore keys =
                        new org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore();
                keys.setKey(identity, secret);
                org.eclipse.californium.scandium.config.DtlsConnectorConfig dtls =
                        org.eclipse.californium.scandium.config.DtlsConnectorConfig.builder(CoapFixture.clientConfiguration())
                                .set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE,
                                        org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.SERVER_ONLY)
                                .setAddress(new InetSocketAddress("127.0.0.1", port))
                                .setAdvancedPskStore(keys).build();
                server.addEndpoint(CoapEndpoint.builder().setConfiguration(CoapFixture.clientConfiguration())
                        .setConnector(new org.eclipse.californium.scandium.DTLSConnector(dtls)).build());
            }
            CoapResource sensors = new CoapResource("sensors");
            Co2Resource air = new Co2Resource(firstValue);
            sensors.add(air);
            server.add(sensors);
            server.start();
            ticker.scheduleWithFixedDelay(air::next, 100, 100, TimeUnit.MILLISECONDS);
        }

        int port() {
            return server.getEndpoints().get(0).getAddress().getPort();
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            server.destroy();
        }
    }

    @AfterEach
    void tearDown() {
        if (observations != null) {
            observations.close();
        }
        if (device != null) {
            device.close();
        }
        if (outbox != null) {
            outbox.close();
        }
    }

    private List<Reading> readings() {
        return outbox.peek(10_000).readings();
    }

    @Test
    void observesADeviceOverDtlsWithItsKey() throws Exception {
        byte[] secret = "secret-of-lab-hood".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        device = new ObservedDevice(0, 300, "lab-hood", secret);
        outbox = Outbox.open(dir.resolve("outbox.db"), 100_000, 100);
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), "gw-observe-dtls");
        CoapSettings settings = CoapSettings.defaults()
                .withObserve(List.of(new CoapSettings.ObservedDevice("coaps://127.0.0.1:" + device.port() + "/sensors/air",
                        "lab-1", "hood-1", "senml", null, "lab-hood", "secret-of-lab-hood")), 100, 1000, 5000)
                .withEnabled(true);
        observations = CoapObservations.start(settings, CoapFixture.SCHOOL, CodecRegistry.standard(),
                router -> new MessageIntake(router, outbox, metrics, settings.maxPayloadBytes()), metrics, "test-dtls");

        Poll.until(Duration.ofSeconds(15), "notifications over DTLS recorded", () -> readings().size() >= 3);
        assertThat(readings()).allSatisfy(r -> {
            assertThat(r.room()).isEqualTo("lab-1");
            assertThat(r.device()).isEqualTo("hood-1");
            assertThat(r.quantity()).isEqualTo(Quantity.CO2);
            assertThat(r.value()).isBetween(300.0, 999.0);
        });
    }

    @Test
    void recordsNotificationsAndRegistersAgainAfterTheDeviceRestarted() throws Exception {
        device = new ObservedDevice(0, 1000);
        int port = device.port();
        outbox = Outbox.open(dir.resolve("outbox.db"), 100_000, 100);
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), "gw-observe");
        CoapSettings settings = CoapSettings.defaults()
                .withObserve(List.of(new CoapSettings.ObservedDevice("coap://127.0.0.1:" + port + "/sensors/air",
                        "r201", "air", "senml", null, null, null)), 100, 1000, 1000)
                .withEnabled(true);
        observations = CoapObservations.start(settings, CoapFixture.SCHOOL, CodecRegistry.standard(),
                router -> new MessageIntake(router, outbox, metrics, settings.maxPayloadBytes()), metrics, "test");

        Poll.until(Duration.ofSeconds(15), "notifications of the first run recorded", () -> readings().size() >= 3);
        Reading first = readings().get(0);
        assertThat(first.room()).isEqualTo("r201");
        assertThat(first.device()).isEqualTo("air");
        assertThat(first.quantity()).isEqualTo(Quantity.CO2);
        assertThat(first.value()).isBetween(1000.0, 1999.0);
        assertThat(metrics.coapObserveRegistrations().count()).isEqualTo(1.0);

        // the device reboots: it has forgotten its observers, and comes back with other values
        assertThat(observations.lostObservations()).as("nothing lost while the device runs").isZero();
        device.close();
        device = null;
        // the device stays down until the gateway noticed by itself (nothing heard for observeSilenceMillis)
        Poll.until(Duration.ofSeconds(15), "the lost observation noticed", () -> observations.lostObservations() >= 1);
        device = new ObservedDevice(port, 5000);

        Poll.until(Duration.ofSeconds(30), "notifications after the restart recorded",
                () -> readings().stream().anyMatch(r -> r.value() >= 5000));
        assertThat(metrics.coapObserveRegistrations().count()).isGreaterThanOrEqualTo(2.0);
        assertThat(readings()).allSatisfy(r -> assertThat(r.room()).isEqualTo("r201"));
    }
}

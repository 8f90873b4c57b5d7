package org.smartschool.gateway.coap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/** A CoAP device server over a real outbox, and Californium clients playing the devices. */
final class CoapFixture implements AutoCloseable {
    static final String SCHOOL = "thcs-coap";
    static final String AIR_IDENTITY = "r101-air";
    static final String AIR_SECRET = "secret-of-r101-air";

    final Outbox outbox;
    final GatewayMetrics metrics;
    final CoapDeviceServer server;
    final CoapSettings settings;
    private final List<Endpoint> clientEndpoints = new java.util.ArrayList<>();

    CoapFixture(Path dir, CoapSettings settings, long maxRecords) {
        this(dir, settings, OutboxLimits.of(maxRecords, 100));
    }

    CoapFixture(Path dir, CoapSettings settings, OutboxLimits limits) {
        this.settings = settings;
        outbox = Outbox.open(dir.resolve("outbox.db"), limits);
        metrics = new GatewayMetrics(new SimpleMeterRegistry(), "gw-coap-test");
        CoapDevices devices = CoapDevices.of(SCHOOL, settings.routes(), CodecRegistry.standard(),
                router -> new MessageIntake(router, outbox, metrics, settings.maxPayloadBytes()));
        DeviceKeys keys = DeviceKeys.load(settings.keys(), settings.keyFile());
        server = CoapDeviceServer.start(settings, Map.of("", new CoapSite(devices, keys, metrics)), keys, metrics, "test");
    }

    /** Plain and DTLS on free loopback ports; r101/air has a key; JSON (50) is decoded as zigbee2mqtt state. */
    static CoapSettings settings() {
        return CoapSettings.defaults().withPorts("127.0.0.1", 0, true, 0)
                .withRoutes(List.of(new CoapSettings.Route("{room}/{device}", "senml", "zigbee2mqtt", null, null)))
                .withKeys(List.of(new CoapSettings.DeviceKey(AIR_IDENTITY, "r101", "air", AIR_SECRET),
                        new CoapSettings.DeviceKey("r102-air", "r102", "air", "secret-of-r102-air")), null)
                .withEnabled(true);
    }

    String plainUri(String path) {
        return "coap://127.0.0.1:" + server.port() + "/" + path;
    }

    String secureUri(String path) {
        return "coaps://127.0.0.1:" + server.securePort() + "/" + path;
    }

    /** A Californium client on its own endpoint (no shared default endpoint, no properties file). */
    CoapClient plainClient(String path) {
        Configuration config = clientConfiguration();
        Endpoint endpoint = CoapEndpoint.builder().setConfiguration(config).setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        clientEndpoints.add(endpoint);
        CoapClient client = new CoapClient(plainUri(path));
        client.setEndpoint(endpoint);
        client.setTimeout(10_000L);
        return client;
    }

    /** A Californium DTLS client with one pre-shared key. */
    CoapClient secureClient(String path, String identity, byte[] secret) {
        Configuration config = clientConfiguration();
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, secret))
                .build();
        Endpoint endpoint = CoapEndpoint.builder().setConfiguration(config).setConnector(new DTLSConnector(dtls)).build();
        clientEndpoints.add(endpoint);
        CoapClient client = new CoapClient(secureUri(path));
        client.setEndpoint(endpoint);
        client.setTimeout(10_000L);
        return client;
    }

    /** Californium's defaults, except: a 4.13 is final (no automatic retry block-wise), so the test sees the gateway's answer. */
    static Configuration clientConfiguration() {
        Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
        config.set(CoapConfig.BLOCKWISE_ENTITY_TOO_LARGE_AUTO_FAILOVER, false);
        return config;
    }

    /** Readings waiting in the outbox, oldest first. */
    List<Reading> readings() {
        return outbox.peek(10_000).readings();
    }

    static String senmlJson(String name, String unit, double value) {
        return "[{\"bn\":\"urn:dev:test:\",\"n\":\"" + name + "\",\"u\":\"" + unit + "\",\"v\":" + value + "}]";
    }

    /** A SenML CBOR pack (RFC 8428 section 6: integer labels n=0, u=1, v=2) of one record. */
    static byte[] senmlCbor(String name, String unit, double value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator cbor = new CBORFactory().createGenerator(bytes)) {
            cbor.writeStartArray();
            cbor.writeStartObject();
            cbor.writeFieldId(0);
            cbor.writeString(name);
            cbor.writeFieldId(1);
            cbor.writeString(unit);
            cbor.writeFieldId(2);
            cbor.writeNumber(value);
            cbor.writeEndObject();
            cbor.writeEndArray();
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        for (Endpoint endpoint : clientEndpoints) {
            endpoint.destroy();
        }
        server.close();
        outbox.close();
    }
}

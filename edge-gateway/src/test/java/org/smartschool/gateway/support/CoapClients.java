package org.smartschool.gateway.support;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/** Californium clients playing CoAP devices, each on an endpoint of its own; closing destroys them all. */
public final class CoapClients implements AutoCloseable {
    private final List<Endpoint> endpoints = new ArrayList<>();

    /** A plain CoAP client for {@code uri}. */
    public CoapClient plain(String uri) {
        Configuration config = configuration();
        Endpoint endpoint = CoapEndpoint.builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
        return client(uri, endpoint);
    }

    /** A DTLS client for a {@code coaps://} {@code uri} with one pre-shared key (its text as bytes). */
    public CoapClient secure(String uri, String identity, String secret) {
        Configuration config = configuration();
        DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
                .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(identity, secret.getBytes(StandardCharsets.UTF_8)))
                .build();
        return client(uri, CoapEndpoint.builder().setConfiguration(config).setConnector(new DTLSConnector(dtls)).build());
    }

    private CoapClient client(String uri, Endpoint endpoint) {
        synchronized (endpoints) {
            endpoints.add(endpoint);
        }
        CoapClient client = new CoapClient(uri);
        client.setEndpoint(endpoint);
        client.setTimeout(10_000L);
        return client;
    }

    private static Configuration configuration() {
        return new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
    }

    @Override
    public void close() {
        synchronized (endpoints) {
            endpoints.forEach(Endpoint::destroy);
            endpoints.clear();
        }
    }
}

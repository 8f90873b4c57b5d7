package org.smartschool.gateway.coap;

import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.south.DeviceIntake;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * The CoAP side of one gateway: its devices as a {@link CoapSite} (always, so that a server
 * serving several gateways, the hub's demo, can mount it), and when {@code coap.enabled} its own
 * {@link CoapDeviceServer} and {@link CoapObservations}.
 */
public final class GatewayCoap implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCoap.class);

    private final CoapSite site;
    private final CoapDeviceServer server;
    private final CoapObservations observations;
    private final String tag;

    private GatewayCoap(CoapSite site, CoapDeviceServer server, CoapObservations observations, String tag) {
        this.site = site;
        this.server = server;
        this.observations = observations;
        this.tag = tag;
    }

    /**
     * @param intakes makes the intake that routes with a router (and so decodes with its codec)
     * @throws IllegalArgumentException for a route naming an unknown codec, or a bad key file
     * @throws CoapPortException when a port cannot be bound
     */
    public static GatewayCoap start(CoapSettings settings, String school, CodecRegistry codecs,
                                    Function<TopicRouter, DeviceIntake> intakes, GatewayMetrics metrics, String tag) {
        if (!settings.enabled() && !knowsCodecs(settings, codecs)) {
            // CoAP off and a registry without the CoAP routes' codecs (a test's): nothing to offer
            return new GatewayCoap(null, null, null, tag);
        }
        CoapDevices devices = CoapDevices.of(school, settings.routes(), codecs, intakes);
        DeviceKeys keys = settings.enabled() ? DeviceKeys.load(settings.keys(), settings.keyFile()) : DeviceKeys.none();
        CoapSite site = new CoapSite(devices, keys, metrics);
        if (!settings.enabled()) {
            return new GatewayCoap(site, null, null, tag);
        }
        CoapDeviceServer server = settings.allowPlain() || !keys.isEmpty()
                ? CoapDeviceServer.start(settings, Map.of("", site), keys, metrics, tag) : null;
        try {
            CoapObservations observations = settings.observe().isEmpty() ? null
                    : CoapObservations.start(settings, school, codecs, intakes, metrics, tag);
            return new GatewayCoap(site, server, observations, tag);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    private static boolean knowsCodecs(CoapSettings settings, CodecRegistry codecs) {
        return settings.routes().stream().allMatch(r -> codecs.find(r.codec()).isPresent()
                && (r.jsonCodec() == null || codecs.find(r.jsonCodec()).isPresent()));
    }

    /** The gateway's devices for a shared server; null when CoAP is off and the registry lacks the routes' codecs. */
    public CoapSite site() {
        return site;
    }

    /** The gateway's own server; null when CoAP is off or no device may post (no key, no plain CoAP). */
    public CoapDeviceServer server() {
        return server;
    }

    /** Observations end, then devices get no more answers; requests already handed to the outbox finish first. */
    @Override
    public void close() {
        try {
            if (observations != null) {
                observations.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("[gateway: {}] stopping the CoAP observations failed: {}", tag, e.toString());
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("[gateway: {}] stopping the CoAP server failed: {}", tag, e.toString());
        }
    }
}

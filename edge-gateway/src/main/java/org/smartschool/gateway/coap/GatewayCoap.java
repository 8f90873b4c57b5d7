package org.smartschool.gateway.coap;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.config.CoapSettings;
import org.smartschool.gateway.desired.DesiredConfig;
import org.smartschool.gateway.desired.DesiredConfigException;
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
    private final CoapSettings settings;
    private final String school;
    private final CodecRegistry codecs;
    private final Function<TopicRouter, DeviceIntake> intakes;
    private final DeviceKeys yamlKeys; // gateway.yaml's, read once at start

    private GatewayCoap(CoapSite site, CoapDeviceServer server, CoapObservations observations, String tag,
                        CoapSettings settings, String school, CodecRegistry codecs,
                        Function<TopicRouter, DeviceIntake> intakes) {
        this.site = site;
        this.server = server;
        this.observations = observations;
        this.tag = tag;
        this.settings = settings;
        this.school = school;
        this.codecs = codecs;
        this.intakes = intakes;
        this.yamlKeys = settings.enabled() ? DeviceKeys.load(settings.keys(), settings.keyFile()) : DeviceKeys.none();
    }

    /**
     * @param intakes makes the intake that routes with a router (and so decodes with its codec)
     * @throws IllegalArgumentException for a route naming an unknown codec, or a bad key file
     * @throws CoapPortException when a port cannot be bound
     */
    public static GatewayCoap start(CoapSettings settings, String school, CodecRegistry codecs,
                                    Function<TopicRouter, DeviceIntake> intakes, GatewayMetrics metrics, String tag) {
        return start(settings, Optional.empty(), school, codecs, intakes, metrics, tag);
    }

    /**
     * @param desired the hub's desired configuration the gateway starts on: its {@code coap.routes}
     *                and {@code coap.keys}, where present, replace gateway.yaml's
     */
    public static GatewayCoap start(CoapSettings settings, Optional<DesiredConfig> desired, String school,
                                    CodecRegistry codecs, Function<TopicRouter, DeviceIntake> intakes,
                                    GatewayMetrics metrics, String tag) {
        List<CoapSettings.Route> routes = desired.flatMap(DesiredConfig::coapRoutes).orElse(settings.routes());
        if (!settings.enabled() && !knowsCodecs(routes, codecs)) {
            // CoAP off and a registry without the CoAP routes' codecs (a test's): nothing to offer
            return new GatewayCoap(null, null, null, tag, settings, school, codecs, intakes);
        }
        CoapDevices devices = CoapDevices.of(school, routes, codecs, intakes);
        DeviceKeys keys = settings.enabled() ? keys(settings, desired) : DeviceKeys.none();
        CoapSite site = new CoapSite(devices, keys, metrics);
        if (!settings.enabled()) {
            return new GatewayCoap(site, null, null, tag, settings, school, codecs, intakes);
        }
        CoapDeviceServer server = settings.allowPlain() || !keys.isEmpty()
                ? CoapDeviceServer.start(settings, Map.of("", site), site::keys, metrics, tag) : null;
        try {
            CoapObservations observations = settings.observe().isEmpty() ? null
                    : CoapObservations.start(settings, school, codecs, intakes, metrics, tag);
            return new GatewayCoap(site, server, observations, tag, settings, school, codecs, intakes);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    private static DeviceKeys keys(CoapSettings settings, Optional<DesiredConfig> desired) {
        Optional<List<CoapSettings.DeviceKey>> fromHub = desired.flatMap(DesiredConfig::coapKeys);
        return fromHub.isPresent() ? DeviceKeys.load(fromHub.get(), null) : DeviceKeys.load(settings.keys(), settings.keyFile());
    }

    private static boolean knowsCodecs(List<CoapSettings.Route> routes, CodecRegistry codecs) {
        return routes.stream().allMatch(r -> codecs.find(r.codec()).isPresent()
                && (r.jsonCodec() == null || codecs.find(r.jsonCodec()).isPresent()));
    }

    /**
     * Checks that the running CoAP side can take {@code desired}'s resource map and keys; call
     * before {@link #apply}, so that nothing of a configuration it cannot take is applied.
     *
     * @throws DesiredConfigException naming the key, e.g. keys for a gateway that listens for no DTLS
     */
    public void check(DesiredConfig desired) {
        boolean newKeys = desired.coapKeys().map(k -> !k.isEmpty()).orElse(false);
        if (newKeys && settings.enabled() && (server == null || !server.hasSecureEndpoint())) {
            throw new DesiredConfigException("coap.keys: this gateway started without any device key, so it does not"
                    + " listen for DTLS on coap.securePort; give it one in gateway.yaml (coap.keys or coap.keyFile)"
                    + " or restart it to start on these keys");
        }
    }

    /**
     * Swaps the resource map and the keys the CoAP server uses, without restarting it: the next
     * request is resolved with the new routes, the next DTLS handshake uses the new keys, and a
     * device whose identity was removed is refused (4.01) also on a DTLS session made before.
     * What {@code desired} does not set comes from gateway.yaml again.
     */
    public void apply(DesiredConfig desired) {
        if (site == null) {
            return; // CoAP off, and its routes' codecs unknown here: nothing serves CoAP devices
        }
        List<CoapSettings.Route> routes = desired.coapRoutes().orElse(settings.routes());
        CoapDevices devices = CoapDevices.of(school, routes, codecs, intakes);
        DeviceKeys keys = !settings.enabled() ? DeviceKeys.none()
                : desired.coapKeys().map(k -> DeviceKeys.load(k, null)).orElse(yamlKeys);
        site.replace(devices, keys);
        LOG.info("[gateway: {}] CoAP resource map ({} routes) and device keys ({}) replaced", tag, routes.size(),
                keys.all().size());
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

package org.smartschool.gateway.coap;

import java.util.Objects;

import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * The devices of one gateway as a CoAP server serves them: which paths are which devices, their
 * keys, and where the gateway counts what happened. A gateway's server has one site at the root;
 * the hub's demo serves every school's gateway as a site under {@code /{school}}.
 *
 * <p>The device map and the keys are replaced together by the hub's desired configuration while
 * the server runs ({@link #replace}): a request sees the old pair or the new one, never half of each.
 */
public final class CoapSite {
    private volatile Mapping mapping;
    private final GatewayMetrics metrics;

    public CoapSite(CoapDevices devices, DeviceKeys keys, GatewayMetrics metrics) {
        this.mapping = new Mapping(devices, keys);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The resource paths and the keys in force now, read once per request. */
    public Mapping mapping() {
        return mapping;
    }

    public CoapDevices devices() {
        return mapping.devices();
    }

    public DeviceKeys keys() {
        return mapping.keys();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The next request is resolved with {@code devices} and authorised with {@code keys}. */
    public void replace(CoapDevices devices, DeviceKeys keys) {
        this.mapping = new Mapping(devices, keys);
    }

    /** A device map and the keys that go with it. */
    public record Mapping(CoapDevices devices, DeviceKeys keys) {
        public Mapping {
            Objects.requireNonNull(devices, "devices");
            Objects.requireNonNull(keys, "keys");
        }
    }
}

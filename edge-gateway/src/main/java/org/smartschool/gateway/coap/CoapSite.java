package org.smartschool.gateway.coap;

import java.util.Objects;

import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * The devices of one gateway as a CoAP server serves them: which paths are which devices, their
 * keys, and where the gateway counts what happened. A gateway's server has one site at the root;
 * the hub's demo serves every school's gateway as a site under {@code /{school}}.
 */
public record CoapSite(CoapDevices devices, DeviceKeys keys, GatewayMetrics metrics) {
    public CoapSite {
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(metrics, "metrics");
    }
}

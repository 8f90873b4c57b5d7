package org.smartschool.hub.desired;

import java.util.Map;

import org.smartschool.hub.config.GatewayConfig;

/** Where the gateway endpoint takes a gateway's desired configuration from (docs/protocol.md 3.2). */
@FunctionalInterface
public interface DesiredConfigSource {
    /** Each gateway's configured {@code desiredConfig} alone, as the hub sent it before the registry took part. */
    DesiredConfigSource CONFIGURED = gateway -> DesiredConfigAssembly.configured(gateway.desiredConfig());

    /**
     * {@code {"version": n, ...}} for {@code gateway}, from memory: called on the endpoint's event
     * loop, so it never blocks.
     */
    Map<String, Object> desiredConfig(GatewayConfig gateway);
}

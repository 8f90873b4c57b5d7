package org.smartschool.hub.registry;

import java.util.Optional;

/**
 * Looks up a gateway's credential for the MQTT endpoint's CONNECT check. Implementations answer from
 * memory (the endpoint calls it on its small authentication pool, {@code hub-auth-*}, where a PBKDF2
 * check may take tens of milliseconds): no database call, no file.
 */
public interface GatewayCredentials {
    /** Knows no gateway. */
    GatewayCredentials NONE = (gatewayId, secret) -> Optional.empty();

    /**
     * @return the gateway and its school when {@code gatewayId} is registered and {@code secret} is its
     *         secret; empty when the gateway is unknown or the secret is wrong (the caller cannot tell which)
     */
    Optional<RegisteredGateway> verify(String gatewayId, String secret);

    /**
     * The school of a registered gateway, whatever secret was given: the security alarms name the school whose
     * gateway id failed to authenticate. Empty when the id is not registered.
     */
    default Optional<String> schoolOf(String gatewayId) {
        return Optional.empty();
    }

    /** A gateway whose credential checked out. */
    record RegisteredGateway(String id, String school, String schoolName) {
    }
}

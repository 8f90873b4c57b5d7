package org.smartschool.hub.endpoint;

/**
 * What the gateway endpoint tells the hub's security rules: refused credentials and refused topics. Calls come from
 * the endpoint's event loop and must be cheap (memory only).
 */
public interface SecuritySignals {

    /** Nobody listens (tests of the endpoint alone). */
    SecuritySignals NONE = new SecuritySignals() {
    };

    /**
     * A CONNECT was refused for its credential (CONNACK 0x86: unknown gateway id, wrong secret).
     *
     * @param claimedGateway the CONNECT's user name as sent (outside text: any length, any characters), or null
     * @param claimedSchool  the school of that gateway when the hub knows the id, else null
     */
    default void authenticationFailed(String claimedGateway, String claimedSchool) {
    }

    /** A PUBLISH of an authenticated gateway was refused as not allowed (PUBACK 0x87: another school, gateway or topic). */
    default void topicRefused(String gateway, String school) {
    }
}

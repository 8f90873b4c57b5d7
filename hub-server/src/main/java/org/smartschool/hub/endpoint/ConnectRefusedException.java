package org.smartschool.hub.endpoint;

/** A CONNECT the hub refuses; turned into a CONNACK reason code only at the protocol edge. */
final class ConnectRefusedException extends RuntimeException {

    enum Refusal {
        /** CONNACK 0x84 (MQTT 5) or 0x01 (MQTT 3.1/3.1.1): gateways speak MQTT 5 only. */
        PROTOCOL_VERSION("protocol_version"),
        /** CONNACK 0x86: unknown gateway id or wrong secret; counted as an authentication failure. */
        BAD_CREDENTIALS("bad_credentials"),
        /** CONNACK 0x85: the client identifier is not the gateway id. */
        CLIENT_ID_MISMATCH("client_id"),
        /** CONNACK 0x9F: this gateway id took its open session over too often (two devices share it). */
        TAKEOVER_LOOP("takeover_loop"),
        /** CONNACK 0x89: too many credential checks waiting (a flood of CONNECTs); the gateway retries after its backoff. */
        SERVER_BUSY("server_busy"),
        /** CONNACK 0x88: the credential check itself failed (the registry's database did not answer). */
        SERVER_UNAVAILABLE("server_unavailable");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private final Refusal refusal;
    private final String claimedSchool;

    ConnectRefusedException(Refusal refusal, String message) {
        this(refusal, message, null);
    }

    /** @param claimedSchool the school of the gateway id the CONNECT claimed, when the hub knows that id */
    ConnectRefusedException(Refusal refusal, String message, String claimedSchool) {
        super(message, null, false, false);
        this.refusal = refusal;
        this.claimedSchool = claimedSchool;
    }

    /** The school of the claimed gateway id when the hub knows it, else null (security alarms). */
    String claimedSchool() {
        return claimedSchool;
    }

    Refusal refusal() {
        return refusal;
    }
}

package org.smartschool.gateway.coap;

/** A CoAP port cannot be bound (in use, or no such address): names the configuration key and the port. */
public final class CoapPortException extends IllegalStateException {
    private final int port;
    private final String reason;

    CoapPortException(String key, String host, int port, String why, Throwable cause) {
        super(key + ": cannot listen on UDP " + host + ":" + port + " (" + why + "); is another CoAP server using it?", cause);
        this.port = port;
        this.reason = why;
    }

    /** What the system said, e.g. "Address already in use". */
    public String reason() {
        return reason;
    }

    public int port() {
        return port;
    }
}

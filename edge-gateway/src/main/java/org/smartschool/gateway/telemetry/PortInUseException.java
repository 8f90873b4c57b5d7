package org.smartschool.gateway.telemetry;

/** A listener could not bind its port because another program holds it; the message names the port and the key. */
public final class PortInUseException extends RuntimeException {
    private final int port;

    /** @param key the configuration key that sets the port, e.g. {@code metrics.port} */
    public PortInUseException(String host, int port, String key, Throwable cause) {
        super("port " + port + " on " + host + " (" + key + ") is already in use by another program: stop it, or set "
                + key + " to a free port", cause);
        this.port = port;
    }

    public int port() {
        return port;
    }
}

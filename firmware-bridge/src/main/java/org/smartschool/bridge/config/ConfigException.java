package org.smartschool.bridge.config;

/** A configuration file or override that cannot be used; the message names the file and the key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

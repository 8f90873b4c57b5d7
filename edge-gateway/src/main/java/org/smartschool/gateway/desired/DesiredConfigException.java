package org.smartschool.gateway.desired;

/** A desired configuration the gateway refuses; the message is one line naming the key at fault. */
public final class DesiredConfigException extends IllegalArgumentException {
    public DesiredConfigException(String message) {
        super(message);
    }
}

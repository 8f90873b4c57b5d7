package org.smartschool.gateway.uplink;

import java.util.OptionalLong;

/**
 * Where the uplink hands the desired configuration the hub sends on the config topic
 * (docs/protocol.md 3.2), and where the health report reads what became of it.
 */
public interface DesiredConfigReceiver {
    /** Takes one non-empty payload; never throws (a refusal is kept for {@link #refusal()}). */
    void receive(byte[] payload);

    /** The version of the desired configuration this gateway holds, if any. */
    OptionalLong version();

    /** Why the last desired configuration the hub sent was refused, or null when it was not. */
    String refusal();
}

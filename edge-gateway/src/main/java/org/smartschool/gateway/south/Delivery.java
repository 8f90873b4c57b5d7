package org.smartschool.gateway.south;

import org.smartschool.bridge.codec.RawMessage;

/**
 * One device message as a transport delivered it.
 *
 * @param deliveryId what the transport keeps when it delivers the same message again (the MQTT
 *                   packet id; a CoAP peer and message id); empty when it has nothing
 * @param mayBeRedelivery whether the transport says this may be a second delivery (MQTT DUP flag);
 *                        true for a transport that cannot tell
 */
public record Delivery(RawMessage message, String deliveryId, boolean mayBeRedelivery) {
    public Delivery {
        deliveryId = deliveryId == null ? "" : deliveryId;
    }

    /** A first delivery with no id: recorded for redelivery checks, never taken for one. */
    public static Delivery first(RawMessage message) {
        return new Delivery(message, "", false);
    }
}

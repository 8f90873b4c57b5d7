package org.smartschool.gateway.south;

import org.smartschool.bridge.codec.RawMessage;

/**
 * Where a transport that answers every device message (CoAP, wired devices) hands one message.
 * The MQTT subscriber uses {@link MessageIntake#accept} instead, which waits for room: the
 * school's broker holds the device's messages meanwhile.
 */
public interface DeviceIntake {

    /**
     * Routes, decodes and records one message, a first delivery: the same bytes again later are a new
     * message (a card tapped twice), not a retransmission. Returns when its records are committed (or it was
     * dead-lettered, or refused for want of room). Blocks on disk I/O: never call it on an event loop.
     *
     * @throws org.smartschool.gateway.outbox.OutboxClosedException when the gateway is stopping
     * @throws org.smartschool.gateway.outbox.OutboxException when the outbox cannot write; the device is not acknowledged
     */
    IntakeOutcome offer(RawMessage message);

    /**
     * Like {@link #offer(RawMessage)}, for a transport that knows what identifies a delivery (a
     * CoAP peer and message id) and whether it may be a retransmission: a retransmission of a frame
     * already recorded is answered {@code Recorded} without recording it twice.
     */
    default IntakeOutcome offer(Delivery delivery) {
        return offer(delivery.message());
    }
}

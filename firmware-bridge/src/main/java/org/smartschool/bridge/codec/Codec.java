package org.smartschool.bridge.codec;

import org.smartschool.bridge.model.DeviceRef;

/**
 * Turns what one firmware family sends into canonical readings and device events.
 *
 * <p>A codec is a pure function: no I/O, no threads, no clock (the time a message arrived is in
 * {@link RawMessage#receivedAt()}). It never throws for bad input: every problem is returned in
 * the {@link DecodeResult}, naming the field and the device.
 */
public interface Codec {

    /** The name configuration and the CLI use to pick this codec ({@code zigbee2mqtt}). */
    String name();

    /** One line for {@code codecs}: which firmware and which payloads. */
    String description();

    /**
     * @param message the bytes and where they came from
     * @param device the school, room and device the configuration maps the message's topic to
     */
    DecodeResult decode(RawMessage message, DeviceRef device);
}

package org.smartschool.bridge.sim;

import java.util.List;

import org.smartschool.bridge.routing.TopicRoute;

/**
 * One simulated device: publishes its messages one at a time, in time order. Periodic devices
 * are a {@link PeriodicDevice} around their kind's {@link Firmware}; the door reader, which only
 * publishes taps, is its own class. A device owns its own random source, so adding a device never
 * changes what the others publish.
 */
public interface SimulatedDevice {

    /** The device id, as the gateway's route resolves it from the topic. */
    String id();

    /** The room the device is in. */
    String room();

    /** When the next message is due, UTC epoch milliseconds. */
    long nextAt();

    /** The message due at {@link #nextAt()}; moves {@link #nextAt()} on. */
    SimulatedMessage next();

    /** The routes a gateway needs to decode this kind of device. Equal for devices of one kind. */
    List<TopicRoute> routes();
}

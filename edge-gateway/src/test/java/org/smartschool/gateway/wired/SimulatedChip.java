package org.smartschool.gateway.wired;

/**
 * A chip on a simulated I2C bus, as the test-side {@link SimulatedI2c} drives it: Pi4J's MockI2C
 * keeps a queue of bytes per register (what was written is what is read back) and has no command
 * or register semantics, so the chips a driver talks to are modelled here on top of its read/write.
 */
interface SimulatedChip {

    /** One write transaction (a command, or a register pointer followed by values). */
    void write(byte[] data);

    /** One read transaction of {@code length} bytes. */
    byte[] read(int length);
}

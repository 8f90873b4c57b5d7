package org.smartschool.gateway.wired;

import java.util.Arrays;

import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;

/**
 * Pi4J's {@link MockI2C}, with its transfers routed to a {@link SimulatedChip}: plain reads and
 * writes go to the chip as they are; a register read is a write of the register address followed
 * by a read, as on the real bus. A chip that "stops answering" throws Pi4J's I/O exception, as the
 * linuxfs provider does for a NACK.
 */
final class SimulatedI2c extends MockI2C {
    private final SimulatedChip chip;

    SimulatedI2c(I2CProvider provider, I2CConfig config, SimulatedChip chip) {
        super(provider, config);
        this.chip = chip;
    }

    @Override
    public int write(byte b) {
        chip.write(new byte[] {b});
        return 1;
    }

    @Override
    public int write(byte[] data, int offset, int length) {
        chip.write(Arrays.copyOfRange(data, offset, offset + length));
        return length;
    }

    @Override
    public int read() {
        return chip.read(1)[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        byte[] got = chip.read(length);
        System.arraycopy(got, 0, buffer, offset, length);
        return length;
    }

    @Override
    public int readRegister(int register) {
        chip.write(new byte[] {(byte) register});
        return chip.read(1)[0] & 0xFF;
    }

    @Override
    public int readRegister(int register, byte[] buffer, int offset, int length) {
        chip.write(new byte[] {(byte) register});
        return read(buffer, offset, length);
    }

    @Override
    public int writeRegister(int register, byte b) {
        chip.write(new byte[] {(byte) register, b});
        return 1;
    }

    @Override
    public int writeRegister(int register, byte[] data, int offset, int length) {
        byte[] out = new byte[length + 1];
        out[0] = (byte) register;
        System.arraycopy(data, offset, out, 1, length);
        chip.write(out);
        return length;
    }
}

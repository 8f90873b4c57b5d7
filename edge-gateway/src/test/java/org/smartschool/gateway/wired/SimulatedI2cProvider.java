package org.smartschool.gateway.wired;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;

/**
 * Pi4J's mock I2C provider (same id, {@code mock-i2c}) handing out {@link SimulatedI2c} devices for
 * the chips placed on it; an address with no chip behaves as the plain mock.
 */
final class SimulatedI2cProvider extends MockI2CProviderImpl {
    private final Map<String, SimulatedChip> chips = new ConcurrentHashMap<>();

    SimulatedI2cProvider place(int bus, int address, SimulatedChip chip) {
        chips.put(bus + "/" + address, chip);
        return this;
    }

    @Override
    public I2C create(I2CConfig config) {
        SimulatedChip chip = chips.get(config.bus() + "/" + config.device());
        if (chip == null) {
            return super.create(config);
        }
        I2C i2c = new SimulatedI2c(this, config, chip);
        context.registry().add(i2c);
        return i2c;
    }
}

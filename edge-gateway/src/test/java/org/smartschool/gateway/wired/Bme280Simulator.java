package org.smartschool.gateway.wired;

import com.pi4j.io.exception.IOException;

/**
 * A BME280's register map: a register pointer set by the first byte of a write, auto-increment on
 * reads and writes, the chip id at 0xD0, calibration at 0x88..0xA1 / 0xE1..0xE7, and a forced
 * measurement that fills 0xF7..0xFE with the raw values the test chose, then falls back to sleep.
 */
final class Bme280Simulator implements SimulatedChip {
    private final byte[] registers = new byte[256];
    private int pointer;
    private int adcT = 0x80000;
    private int adcP = 0x80000;
    private int adcH = 0x8000;
    private volatile boolean failing;
    private int forcedMeasurements;

    Bme280Simulator(int chipId, Bme280Calibration c) {
        registers[Bme280Driver.REG_CHIP_ID] = (byte) chipId;
        int[] words = {c.t1(), c.t2(), c.t3(), c.p1(), c.p2(), c.p3(), c.p4(), c.p5(), c.p6(), c.p7(), c.p8(), c.p9()};
        for (int i = 0; i < words.length; i++) {
            registers[0x88 + 2 * i] = (byte) words[i];
            registers[0x89 + 2 * i] = (byte) (words[i] >> 8);
        }
        registers[0xA1] = (byte) c.h1();
        registers[0xE1] = (byte) c.h2();
        registers[0xE2] = (byte) (c.h2() >> 8);
        registers[0xE3] = (byte) c.h3();
        registers[0xE4] = (byte) (c.h4() >> 4);
        registers[0xE5] = (byte) ((c.h4() & 0x0F) | ((c.h5() & 0x0F) << 4));
        registers[0xE6] = (byte) (c.h5() >> 4);
        registers[0xE7] = (byte) c.h6();
        storeData();
    }

    /** What the next forced measurement will find. */
    synchronized void measure(int adcT, int adcP, int adcH) {
        this.adcT = adcT;
        this.adcP = adcP;
        this.adcH = adcH;
    }

    void failing(boolean value) {
        failing = value;
    }

    synchronized int forcedMeasurements() {
        return forcedMeasurements;
    }

    @Override
    public synchronized void write(byte[] data) {
        if (failing) {
            throw new IOException("I2C write failed: Remote I/O error");
        }
        pointer = data[0] & 0xFF;
        for (int i = 1; i < data.length; i++) {
            int register = pointer++;
            registers[register] = data[i];
            if (register == Bme280Driver.REG_CTRL_MEAS && (data[i] & 0x03) == 0x01) {
                forcedMeasurements++;
                storeData(); // the conversion is done at once; the chip returns to sleep mode
                registers[register] = (byte) (data[i] & ~0x03);
            }
            if (register == Bme280Driver.REG_RESET && (data[i] & 0xFF) == Bme280Driver.RESET_WORD) {
                registers[Bme280Driver.REG_CTRL_MEAS] = 0;
            }
        }
    }

    @Override
    public synchronized byte[] read(int length) {
        if (failing) {
            throw new IOException("I2C read failed: Remote I/O error");
        }
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = registers[(pointer++) & 0xFF];
        }
        return out;
    }

    private void storeData() {
        registers[0xF7] = (byte) (adcP >> 12);
        registers[0xF8] = (byte) (adcP >> 4);
        registers[0xF9] = (byte) ((adcP & 0x0F) << 4);
        registers[0xFA] = (byte) (adcT >> 12);
        registers[0xFB] = (byte) (adcT >> 4);
        registers[0xFC] = (byte) ((adcT & 0x0F) << 4);
        registers[0xFD] = (byte) (adcH >> 8);
        registers[0xFE] = (byte) adcH;
    }
}

package org.smartschool.gateway.wired;

import java.util.ArrayList;
import java.util.List;

import com.pi4j.io.exception.IOException;

/**
 * An SCD40 as the datasheet describes its I2C interface: 16-bit commands; answers of words each
 * followed by a CRC-8; {@code start_periodic_measurement} refused while one runs; the data-ready
 * flag set when a new measurement is published and cleared by reading it.
 */
final class Scd4xSimulator implements SimulatedChip {
    private final List<Integer> commands = new ArrayList<>();
    private boolean periodic;
    private boolean ready;
    private int co2;
    private int temperatureWord;
    private int humidityWord;
    private byte[] answer;
    private volatile boolean failing;
    private volatile boolean corruptNext;
    private final List<Long> transfers = new ArrayList<>();

    /** The sensor measured this (ready for reading until read). */
    synchronized void publish(int co2Ppm, double celsius, double humidity) {
        co2 = co2Ppm;
        temperatureWord = (int) Math.round((celsius + 45) * 65535 / 175);
        humidityWord = (int) Math.round(humidity * 65535 / 100);
        ready = true;
    }

    /** From now on the sensor answers nothing (unplugged, bus error): every transfer fails. */
    void failing(boolean value) {
        failing = value;
    }

    /** The next measurement read has a flipped bit in its temperature word, after the CRC was computed. */
    void corruptNext() {
        corruptNext = true;
    }

    /** When each write transaction was tried (System.nanoTime), answered or not. */
    synchronized List<Long> transfers() {
        return List.copyOf(transfers);
    }

    synchronized boolean ready() {
        return ready;
    }

    synchronized long count(int command) {
        return commands.stream().filter(c -> c == command).count();
    }

    @Override
    public synchronized void write(byte[] data) {
        transfers.add(System.nanoTime());
        if (failing) {
            throw new IOException("I2C write failed: Remote I/O error");
        }
        if (data.length != 2) {
            throw new IOException("SCD4x: NACK (" + data.length + "-byte write)");
        }
        int command = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        commands.add(command);
        answer = null;
        switch (command) {
            case Scd4xDriver.STOP_PERIODIC_MEASUREMENT -> periodic = false;
            case Scd4xDriver.START_PERIODIC_MEASUREMENT -> {
                if (periodic) {
                    throw new IOException("SCD4x: NACK (already measuring)");
                }
                periodic = true;
            }
            case Scd4xDriver.GET_DATA_READY_STATUS -> answer = words(ready && periodic ? 0x8006 : 0x8000);
            case Scd4xDriver.READ_MEASUREMENT -> {
                answer = words(co2, temperatureWord, humidityWord);
                if (corruptNext) {
                    corruptNext = false;
                    answer[4] ^= 0x01;
                }
                ready = false;
            }
            default -> throw new IOException(String.format("SCD4x: NACK (unknown command 0x%04X)", command));
        }
    }

    @Override
    public synchronized byte[] read(int length) {
        if (failing) {
            throw new IOException("I2C read failed: Remote I/O error");
        }
        if (answer == null || answer.length < length) {
            throw new IOException("SCD4x: NACK (nothing to read)");
        }
        byte[] out = java.util.Arrays.copyOf(answer, length);
        answer = null;
        return out;
    }

    static byte[] words(int... words) {
        byte[] out = new byte[words.length * 3];
        for (int i = 0; i < words.length; i++) {
            out[3 * i] = (byte) (words[i] >>> 8);
            out[3 * i + 1] = (byte) words[i];
            out[3 * i + 2] = (byte) SensirionCrc8.ofWord(words[i]);
        }
        return out;
    }
}

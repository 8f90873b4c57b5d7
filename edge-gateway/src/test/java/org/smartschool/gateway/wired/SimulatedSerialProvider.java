package org.smartschool.gateway.wired;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.pi4j.io.serial.Serial;
import com.pi4j.io.serial.SerialConfig;
import com.pi4j.io.serial.SerialProvider;
import com.pi4j.plugin.mock.provider.serial.MockSerial;
import com.pi4j.plugin.mock.provider.serial.MockSerialProviderImpl;

/**
 * Pi4J's mock serial provider whose ports are {@link MockSerial}s made safe for two threads: the
 * mock's byte queue is what the reader reads, and a test fills it with {@link #type}, as if the
 * device had printed the bytes.
 */
final class SimulatedSerialProvider extends MockSerialProviderImpl {
    private final Map<String, Port> ports = new ConcurrentHashMap<>();
    private volatile boolean missing;

    /** While true, opening a port fails as for a USB adapter that is unplugged. */
    void missing(boolean value) {
        missing = value;
    }

    @Override
    public Serial create(SerialConfig config) {
        if (missing) {
            throw new com.pi4j.io.exception.IOException("cannot open " + config.device() + ": No such file or directory");
        }
        Port port = new Port(this, config);
        context.registry().add(port);
        ports.put(config.device(), port);
        return port;
    }

    /** The device on {@code device} prints {@code text}. */
    void type(String device, String text) {
        Port port = ports.get(device);
        if (port == null) {
            throw new IllegalStateException("no port " + device + " opened yet");
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        port.write(bytes, 0, bytes.length);
    }

    boolean opened(String device) {
        return ports.containsKey(device);
    }

    /** MockSerial with its queue guarded: the reader thread and the test thread both touch it. */
    static final class Port extends MockSerial {
        Port(SerialProvider provider, SerialConfig config) {
            super(provider, config);
        }

        @Override
        public synchronized int available() {
            return super.available();
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) {
            return super.read(buffer, offset, length);
        }

        @Override
        public synchronized int read() {
            return super.read();
        }

        @Override
        public synchronized int write(byte[] data, int offset, int length) {
            return super.write(data, offset, length);
        }
    }
}

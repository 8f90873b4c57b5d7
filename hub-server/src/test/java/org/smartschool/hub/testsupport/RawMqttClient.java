package org.smartschool.hub.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttConnect;
import org.eclipse.paho.mqttv5.common.packet.MqttDisconnect;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;

/**
 * A gateway that breaks the rules of its CONNACK on purpose (more unacknowledged batches than Receive Maximum, a
 * packet over Maximum Packet Size), which a well-behaved client such as Paho's refuses to do. It speaks real
 * MQTT 5 over a socket: every packet is encoded and decoded by Paho's own MQTT 5 packet classes.
 */
public final class RawMqttClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private MqttConnAck connack;

    private RawMqttClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects as the protocol says and reads the CONNACK. */
    public static RawMqttClient connect(int port, String gatewayId, String secret) throws IOException, MqttException {
        RawMqttClient client = new RawMqttClient(new Socket("127.0.0.1", port));
        MqttConnect connect = new MqttConnect(gatewayId, 5, true, 30, new MqttProperties(), new MqttProperties());
        connect.setUserName(gatewayId);
        connect.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        client.write(connect);
        MqttWireMessage answer = client.read(Duration.ofSeconds(10));
        if (!(answer instanceof MqttConnAck ack)) {
            client.close();
            throw new IOException("expected CONNACK, got " + answer);
        }
        client.connack = ack;
        return client;
    }

    public MqttConnAck connack() {
        return connack;
    }

    public void publish(String topic, byte[] payload, int qos, int messageId) throws IOException, MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        MqttPublish publish = new MqttPublish(topic, message, new MqttProperties());
        if (qos > 0) {
            publish.setMessageId(messageId);
        }
        write(publish);
    }

    /**
     * A QoS 1 PUBLISH encoded by hand, for topics that Paho's encoder refuses to send (control characters): the
     * hub must still cope with them.
     */
    public void publishRawTopic(String topic, byte[] payload, int messageId) throws IOException {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.write(name.length >> 8);
        variable.write(name.length & 0xff);
        variable.write(name);
        variable.write(messageId >> 8);
        variable.write(messageId & 0xff);
        variable.write(0); // no properties
        variable.write(payload);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x32);
        packet.write(MqttWireMessage.encodeVariableByteInteger(variable.size()));
        variable.writeTo(packet);
        writeRaw(packet.toByteArray());
    }

    public void write(MqttWireMessage message) throws IOException, MqttException {
        out.write(message.getHeader());
        out.write(message.getPayload());
        out.flush();
    }

    /** Sends bytes as they are (the start of an oversized packet, say). */
    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next packet from the hub; null when the hub closed the connection. */
    public MqttWireMessage read(Duration timeout) throws IOException, MqttException {
        socket.setSoTimeout((int) timeout.toMillis());
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no packet from the hub within " + timeout.toMillis() + " ms");
        }
        if (first < 0) {
            return null;
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(first);
        int length = 0;
        int multiplier = 1;
        int b;
        do {
            b = in.readUnsignedByte();
            packet.write(b);
            length += (b & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        byte[] rest = new byte[length];
        in.readFully(rest);
        packet.write(rest);
        return MqttWireMessage.createWireMessage(packet.toByteArray());
    }

    /** Reads until the hub's DISCONNECT, skipping PUBACKs; fails when the connection closes without one. */
    public MqttDisconnect awaitDisconnect(Duration timeout) throws IOException, MqttException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            MqttWireMessage message;
            try {
                message = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            } catch (EOFException e) {
                message = null;
            }
            if (message == null) {
                throw new AssertionError("the hub closed the connection without a DISCONNECT");
            }
            if (message instanceof MqttDisconnect disconnect) {
                return disconnect;
            }
            if (!(message instanceof MqttPubAck)) {
                throw new AssertionError("expected PUBACK or DISCONNECT, got " + message);
            }
        }
        throw new AssertionError("no DISCONNECT within " + timeout.toMillis() + " ms");
    }

    /** True when the hub closed the connection: the next read ends the stream. */
    public boolean closedByHub(Duration timeout) throws IOException, MqttException {
        try {
            return read(timeout) == null;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

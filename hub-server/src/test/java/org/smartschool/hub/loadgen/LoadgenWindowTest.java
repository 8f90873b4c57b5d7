package org.smartschool.hub.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.smartschool.hub.app.HubMain;
import org.smartschool.hub.testsupport.HubFixture;

/**
 * loadgen against a plain vertx-mqtt MQTT 5 server that behaves as a hub may and the hub in this process
 * cannot be made to: it announces a Receive Maximum in CONNACK and answers each PUBLISH after a delay (a
 * slow store; the hub announces none yet), or drops the connection in the middle of a run.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadgenWindowTest {
    private MqttServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            HubFixture.await(server.close());
        }
    }

    /** Verifies that loadgen keeps no more batches unacknowledged than the Receive Maximum, and fills that window. */
    @Test
    void neverExceedsTheReceiveMaximumFromConnack(Vertx vertx) throws Exception {
        AtomicInteger unacknowledged = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0))
                .endpointHandler(endpoint -> {
                    MqttProperties connack = new MqttProperties();
                    connack.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 2));
                    endpoint.publishAutoAck(false);
                    endpoint.publishHandler(message -> {
                        received.incrementAndGet();
                        most.accumulateAndGet(unacknowledged.incrementAndGet(), Math::max);
                        vertx.setTimer(25, t -> {
                            unacknowledged.decrementAndGet();
                            endpoint.publishAcknowledge(message.messageId(), MqttPubAckReasonCode.SUCCESS,
                                    MqttProperties.NO_PROPERTIES);
                        });
                    });
                    endpoint.accept(false, connack);
                });
        int port = HubFixture.await(server.listen()).actualPort();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = HubMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("loadgen", "--hub", "tcp://127.0.0.1:" + port, "--secret", "any", "--readings", "1500",
                "--rooms", "5", "--batch-records", "100", "--in-flight", "8", "--progress", "0");

        assertThat(code).as(out + err.toString()).isZero();
        assertThat(out.toString()).contains("up to 2 batches in flight per gateway (--in-flight 8, hub's Receive Maximum 2)")
                .contains("acknowledged:   1,500 readings in " + received.get() + " batches");
        assertThat(received.get()).isGreaterThanOrEqualTo(15);
        assertThat(most.get()).isEqualTo(2);
    }

    /**
     * Verifies that a connection the hub drops in the middle of a run ends loadgen (no hang) with exit 1,
     * counting the batches that got no PUBACK and naming the lost connection.
     */
    @Test
    void connectionLostMidRunExitsNonZero(Vertx vertx) throws Exception {
        AtomicInteger received = new AtomicInteger();
        server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0))
                .endpointHandler(endpoint -> {
                    endpoint.publishAutoAck(false);
                    endpoint.publishHandler(message -> {
                        if (received.incrementAndGet() <= 3) {
                            endpoint.publishAcknowledge(message.messageId(), MqttPubAckReasonCode.SUCCESS,
                                    MqttProperties.NO_PROPERTIES);
                        } else if (endpoint.isConnected()) {
                            endpoint.close();
                        }
                    });
                    endpoint.accept(false);
                });
        int port = HubFixture.await(server.listen()).actualPort();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = HubMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("loadgen", "--hub", "tcp://127.0.0.1:" + port, "--secret", "any", "--readings", "3000",
                "--rooms", "5", "--batch-records", "100", "--in-flight", "4", "--progress", "0");

        assertThat(code).as(out + err.toString()).isEqualTo(1);
        assertThat(out.toString()).containsPattern("acknowledged: +[\\d,]+ readings in 3 batches")
                .containsPattern("errors: +\\d+")
                .contains("refused:        none");
        assertThat(out.toString() + err).contains("[gateway: loadgen-gw-0001]");
        assertThat(err.toString()).startsWith("loadgen: FAILED: ");
    }
}

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
 * loadgen against an MQTT 5 server that announces a Receive Maximum in CONNACK and answers each PUBLISH
 * after a delay, as a hub with a slow store does (the hub itself announces none yet): the server counts
 * the batches it holds unacknowledged.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveMaximumTest {
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
}

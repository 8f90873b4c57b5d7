package org.smartschool.hub.endpoint;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.mqtt.MqttWill;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.uplink.UplinkTopics;
import org.smartschool.hub.fleet.GatewayActivity;
import org.smartschool.hub.metrics.HubMetrics;
import org.smartschool.hub.store.ReadingStore;

/**
 * Gateway health reports (docs/protocol.md, "Health"): recorded as the gateway's status, one at a time per
 * connection. Called on the endpoint's event loop; the store call runs on the store pool.
 */
final class HealthReports {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEndpoint.class);
    /** Health reports are small; anything larger is not one. */
    private static final int MAX_HEALTH_BYTES = 64 * 1024;

    private final ReadingStore store;
    private final WorkerExecutor worker;
    private final HubMetrics metrics;
    private final RateLimitedLog rateLimited;
    private final ObjectMapper json = new ObjectMapper();
    private final GatewayActivity activity;

    HealthReports(ReadingStore store, WorkerExecutor worker, HubMetrics metrics, RateLimitedLog rateLimited,
                  GatewayActivity activity) {
        this.activity = activity;
        this.store = store;
        this.worker = worker;
        this.metrics = metrics;
        this.rateLimited = rateLimited;
    }

    /** A health report is not worth refusing: a malformed one is counted and dropped (not fatal). */
    Future<Void> record(PublishContext ctx) {
        GatewayConnection connection = ctx.connection();
        String report = healthReport(ctx.payload());
        if (report == null) {
            metrics.healthMalformed();
            rateLimited.log("health:" + connection.gatewayId(), connection + " health report is not a JSON object ("
                            + ctx.payload().length + " bytes); dropped",
                    (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
            return Future.succeededFuture();
        }
        if (!connection.startHealth()) {
            metrics.healthDropped();
            rateLimited.log("health-busy:" + connection.gatewayId(), connection
                            + " health report dropped: the previous one is still being recorded",
                    (line, suppressed) -> LOG.info("{} ({} similar suppressed)", line, suppressed));
            return Future.succeededFuture();
        }
        return worker.executeBlocking(() -> {
            store.recordHealth(connection.gatewayId(), connection.school(), report);
            activity.healthRecorded(connection.gatewayId(), connection.school(), report);
            return null;
        }, false).<Void>mapEmpty().onComplete(r -> connection.healthDone())
                .onSuccess(v -> metrics.healthRecorded()).recover(e -> {
                    rateLimited.log("health-store", connection + " cannot record health report: " + e.getMessage(),
                            (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
                    return Future.succeededFuture();
                });
    }

    /** Records the will of a gateway whose connection was lost, when it is a health report on its own health topic. */
    void recordWill(GatewayConnection connection) {
        MqttWill will = connection.endpoint().will();
        if (will == null || !will.isWillFlag()) {
            return;
        }
        String healthTopic = UplinkTopics.health(connection.school(), connection.gatewayId());
        String report = healthTopic.equals(will.getWillTopic()) ? healthReport(will.getWillMessageBytes()) : null;
        if (report == null) {
            metrics.healthMalformed();
            rateLimited.log("will:" + connection.gatewayId(), connection + " will ignored: not a health report on "
                            + healthTopic,
                    (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed));
            return;
        }
        LOG.info("{} connection lost without DISCONNECT: recording its will (offline)", connection);
        worker.executeBlocking(() -> {
            store.recordHealth(connection.gatewayId(), connection.school(), report);
            return null;
        }, false).onSuccess(v -> metrics.healthRecorded()).onFailure(e -> rateLimited.log("health-store",
                connection + " cannot record its will: " + e.getMessage(),
                (line, suppressed) -> LOG.warn("{} ({} similar suppressed)", line, suppressed)));
    }

    /** The report as compact JSON text, or null when it is not a JSON object. */
    private String healthReport(byte[] payload) {
        if (payload.length > MAX_HEALTH_BYTES) {
            return null;
        }
        try {
            JsonNode node = json.readTree(payload);
            return node != null && node.isObject() ? json.writeValueAsString(node) : null;
        } catch (IOException e) {
            return null;
        }
    }
}

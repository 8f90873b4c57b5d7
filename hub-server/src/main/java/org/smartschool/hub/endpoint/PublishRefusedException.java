package org.smartschool.hub.endpoint;

import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.smartschool.hub.metrics.HubMetrics.RejectReason;

/**
 * A gateway message the hub refuses. It carries the PUBACK reason code (docs/protocol.md, "PUBACK")
 * that the endpoint sends, and a one-line message for the reason-string property; the message
 * must never hold personal data (card uids).
 */
final class PublishRefusedException extends RuntimeException {
    private final RejectReason reason;

    PublishRefusedException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    PublishRefusedException(RejectReason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    RejectReason reason() {
        return reason;
    }

    MqttPubAckReasonCode pubAckCode() {
        return switch (reason) {
            case NOT_AUTHORIZED -> MqttPubAckReasonCode.NOT_AUTHORIZED;
            case PAYLOAD_FORMAT_INVALID -> MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID;
            case QUOTA_EXCEEDED -> MqttPubAckReasonCode.QUOTA_EXCEEDED;
            case STORE_FAILED -> MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
        };
    }
}

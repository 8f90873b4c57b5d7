package org.smartschool.hub.endpoint;

import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.smartschool.hub.metrics.HubMetrics.RejectReason;

/**
 * A gateway message the hub refuses. It carries the PUBACK reason code (docs/protocol.md, "PUBACK") that the
 * endpoint sends, or, for a breach of the MQTT 5 protocol or of the rate limit, the DISCONNECT reason code that
 * ends the connection instead; and a one-line message for the reason-string property, which must never hold
 * personal data (card uids) and holds outside text only through {@code SafeText}.
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

    /** True when the answer is a DISCONNECT, not a PUBACK: the batch stays unacknowledged at the gateway. */
    boolean endsConnection() {
        return disconnectCode() != null;
    }

    /** The PUBACK code, or null when the answer is a DISCONNECT. */
    MqttPubAckReasonCode pubAckCode() {
        return switch (reason) {
            case NOT_AUTHORIZED -> MqttPubAckReasonCode.NOT_AUTHORIZED;
            case PAYLOAD_FORMAT_INVALID -> MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID;
            case QUOTA_EXCEEDED -> MqttPubAckReasonCode.QUOTA_EXCEEDED;
            case STORE_FAILED -> MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case QOS_NOT_SUPPORTED, RECEIVE_MAXIMUM_EXCEEDED, PACKET_TOO_LARGE, RATE_LIMITED -> null;
        };
    }

    /** The DISCONNECT code, or null when the answer is a PUBACK. */
    MqttDisconnectReasonCode disconnectCode() {
        return switch (reason) {
            case QOS_NOT_SUPPORTED -> MqttDisconnectReasonCode.QOS_NOT_SUPPORTED;
            case RECEIVE_MAXIMUM_EXCEEDED -> MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED;
            case PACKET_TOO_LARGE -> MqttDisconnectReasonCode.PACKET_TOO_LARGE;
            case RATE_LIMITED -> MqttDisconnectReasonCode.MESSAGE_RATE_TOO_HIGH;
            case NOT_AUTHORIZED, PAYLOAD_FORMAT_INVALID, QUOTA_EXCEEDED, STORE_FAILED -> null;
        };
    }

    /** {@code PUBACK 0x97} or {@code DISCONNECT 0x93}, for log lines. */
    String answer() {
        return endsConnection() ? "DISCONNECT " + hex(disconnectCode().value()) : "PUBACK " + hex(pubAckCode().value());
    }

    private static String hex(byte code) {
        return String.format("0x%02X", code & 0xff);
    }
}

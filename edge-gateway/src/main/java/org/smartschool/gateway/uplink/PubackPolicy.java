package org.smartschool.gateway.uplink;

import java.util.Map;

/**
 * What the gateway does with a batch after sending it, from the hub's answer (docs/protocol.md,
 * "PUBACK for a batch"). Plain logic, no MQTT types, so every case is tested without sockets.
 *
 * <ul>
 * <li>a PUBACK below 0x80 (0x00 stored; 0x10 "no matching subscribers" from a plain broker): the
 *     batch was accepted, remove it from the outbox;</li>
 * <li>0x87 not authorized, 0x99 payload format invalid: resending the same batch cannot help,
 *     move it to the refused batches;</li>
 * <li>0x97 quota exceeded: the batch is larger than the hub accepts (frame bytes, inflated bytes
 *     or records): split it and send the halves; a single record is refused;</li>
 * <li>0x83 (the hub could not store), any other refusal, no PUBACK in time, no connection: keep the
 *     batch and resend it later with the same id (the hub stores a replay idempotently).</li>
 * </ul>
 */
public final class PubackPolicy {

    private static final Map<Integer, String> NAMES = Map.of(
            0x00, "Success",
            0x10, "No matching subscribers",
            0x80, "Unspecified error",
            0x83, "Implementation specific error",
            0x87, "Not authorized",
            0x90, "Topic Name invalid",
            0x91, "Packet identifier in use",
            0x97, "Quota exceeded",
            0x99, "Payload format invalid");

    private PubackPolicy() {
    }

    public enum Action {
        /** The hub has the batch: remove it from the outbox. */
        REMOVE,
        /** The hub will never take this batch: move it to the refused batches, do not resend. */
        DEAD_LETTER,
        /** The batch is larger than the hub accepts: resend its records in smaller batches. */
        SPLIT,
        /** Keep the batch and resend it after a wait. */
        RETRY
    }

    /** How a send ended. */
    public sealed interface Outcome {
        /** The hub answered with a PUBACK. */
        record Acked(int reasonCode, String reasonString) implements Outcome {
        }

        /** No PUBACK: timed out, the connection was lost or never there. */
        record NoAck(String why, boolean disconnected) implements Outcome {
        }
    }

    /** @param reason one line for the log and the dead-letter record */
    public record Decision(Action action, String reason) {
    }

    public static Decision decide(Outcome outcome) {
        if (outcome instanceof Outcome.NoAck noAck) {
            return new Decision(Action.RETRY, "no PUBACK: " + noAck.why());
        }
        Outcome.Acked acked = (Outcome.Acked) outcome;
        int code = acked.reasonCode();
        String described = describe(code, acked.reasonString());
        if (code < 0x80) {
            return new Decision(Action.REMOVE, described);
        }
        return switch (code) {
            case 0x87, 0x99 -> new Decision(Action.DEAD_LETTER, "hub refused the batch: " + described);
            case 0x97 -> new Decision(Action.SPLIT, "hub refused the batch as too large: " + described);
            default -> new Decision(Action.RETRY, "hub did not store the batch: " + described);
        };
    }

    /** {@code 0x99 Payload format invalid: bad CRC} */
    public static String describe(int code, String reasonString) {
        String text = String.format("0x%02X %s", code, NAMES.getOrDefault(code, "reason code " + code));
        return reasonString == null || reasonString.isBlank() ? text : text + ": " + oneLine(reasonString);
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("[\\r\\n\\t]+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

package org.smartschool.gateway.outbox;

import java.util.List;
import java.util.Objects;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * Records that left the outbox without reaching the hub: a batch the hub refused (PUBACK 0x87,
 * 0x99, or 0x97 for a single record), or outbox rows this version cannot read. Kept with their
 * records, so that they can be put back into the outbox once the cause is fixed.
 *
 * @param id the row id in the outbox's {@code refused_batches} table
 * @param batchId the id the batch was sent with; empty when it never was
 * @param topic where it was going (the uplink batch topic), or {@code outbox} for unreadable rows
 * @param reason one line: what the hub said
 * @param time UTC epoch milliseconds when it was refused
 * @param lines the records as stored, one JSON object per line: {@code {"kind":"reading","record":{...}}}
 */
public record RefusedBatch(long id, String batchId, String topic, String reason, long time, String lines) {
    public RefusedBatch {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(lines, "lines");
    }

    public long recordCount() {
        return lines.lines().filter(l -> !l.isBlank()).count();
    }

    /** The records, decoded. */
    public record Records(List<Reading> readings, List<DeviceEvent> events) {
    }
}

package org.smartschool.gateway.outbox;

/**
 * What {@link Outbox#appendFrames} did.
 *
 * @param appended records committed
 * @param redeliveries frames skipped as redeliveries of a frame already recorded
 * @param dropped routine readings dropped (oldest first) to make room
 * @param dropReason why they were dropped ({@link Outbox#DROP_MAX_RECORDS}, {@link Outbox#DROP_MAX_BYTES}); null when none were
 */
public record AppendResult(int appended, int redeliveries, long dropped, String dropReason) {
}

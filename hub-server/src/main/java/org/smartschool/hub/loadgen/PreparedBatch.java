package org.smartschool.hub.loadgen;

/**
 * A batch encoded before the timed run, so that encoding does not count against the hub.
 *
 * @param frame the batch frame as sent (docs/protocol.md, section 4); not copied: nobody changes it
 */
public record PreparedBatch(String batchId, byte[] frame, int readings, int events) {
}

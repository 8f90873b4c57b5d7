package org.smartschool.gateway.app;

import java.util.OptionalLong;

/**
 * A gateway's state at one moment, for in-process users (the hub's demo, tests, a status page).
 *
 * @param outboxOldestMillis when the oldest waiting record was appended, empty when none waits
 * @param deadLetters device frames kept because they could not be routed or decoded
 * @param desiredConfigVersion the last desired configuration version the hub sent, if any
 * @param refusedBatches batches the hub refused, kept with their records
 * @param diskFull whether device messages are not taken for want of disk space
 */
public record GatewayStatus(String gatewayId, String school, boolean southConnected, boolean northConnected,
                            long outboxRecords, OptionalLong outboxOldestMillis, long deadLetters,
                            long southMessages, long decodeErrors, long unknownDevices, long batchesSent,
                            long batchesRejected, long recordsSent, OptionalLong desiredConfigVersion,
                            long refusedBatches, boolean diskFull) {
}

package org.smartschool.bridge.codec.sparkplug;

/**
 * What the Sparkplug codec counted since it was created, for the gateway to export as metrics. None of
 * these is a fault of the message being decoded, so none is a {@code FAULT} event.
 *
 * @param seqGaps messages whose {@code seq} was not one more than the previous message of the same edge
 *                node (lost or reordered messages: the edge node's data may be stale until its next BIRTH)
 * @param metricsWithoutBirth DATA metrics dropped because their alias was in no BIRTH seen (also reported as
 *                            problems: a rebirth is needed)
 * @param unmappedMetrics metrics that are neither a known quantity nor a known on/off meaning; industrial
 *                        edge nodes publish many such tags, so they are counted, not reported one by one
 * @param staleDeaths NDEATH messages ignored because their bdSeq belonged to an earlier session
 * @param forgottenEdgeNodes edge node sessions dropped to stay within {@link SparkplugSettings#maxEdgeNodes()}
 */
public record SparkplugCounters(long seqGaps, long metricsWithoutBirth, long unmappedMetrics, long staleDeaths,
                                long forgottenEdgeNodes) {
}

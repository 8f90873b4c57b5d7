package org.smartschool.bridge.sim;

/**
 * A fault the virtual firmware put into its traffic: the ground truth a test or a demo compares the
 * gateway's and the hub's detection with.
 *
 * @param from when the fault began, UTC epoch milliseconds; for a {@link FaultKind#SPIKE} the time of
 *             the report that carries the absurd value
 * @param to when it ended (exclusive); equal to {@code from} for a spike
 */
public record InjectedFault(String room, String device, FaultKind kind, long from, long to) {
}

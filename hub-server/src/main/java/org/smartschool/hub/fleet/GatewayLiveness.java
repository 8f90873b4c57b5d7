package org.smartschool.hub.fleet;

/**
 * One gateway as {@code GET /api/v1/fleet/gateways} shows it.
 *
 * @param online       connected and not silent
 * @param lastSeen     UTC epoch ms of its last message or connect
 * @param silentSince  UTC epoch ms when it was found silent, or null when it is not
 * @param health       its last health report (kept in the state database across restarts), or null
 */
public record GatewayLiveness(String gateway, String school, boolean online, long lastSeen, Long silentSince,
                              HealthSummary health) {
}

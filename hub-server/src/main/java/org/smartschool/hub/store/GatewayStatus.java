package org.smartschool.hub.store;

/**
 * What the hub last heard from a gateway.
 *
 * @param lastSeen     UTC epoch ms of the last batch or health report
 * @param lastHealth   the last health report as received (JSON text), or null when none came yet
 * @param lastHealthAt UTC epoch ms when that report arrived, or 0 when none came yet
 */
public record GatewayStatus(String gateway, String school, long lastSeen, String lastHealth, long lastHealthAt) {
}

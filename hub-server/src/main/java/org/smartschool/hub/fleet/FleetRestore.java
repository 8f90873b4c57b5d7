package org.smartschool.hub.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.smartschool.hub.store.GatewayStatus;

/**
 * What the fleet looked like when the hub last stopped, rebuilt at start from the state database: every gateway
 * with a recorded status comes back offline (its connection ended with the previous process), with its last
 * contact, its last health report and, when its latest silence event was not cleared, the time it fell silent.
 * Reads a handful of indexed rows per gateway; blocking.
 */
public final class FleetRestore {
    private FleetRestore() {
    }

    /**
     * @param gateways as {@link FleetMonitor#restore} takes them (all offline)
     * @param closing  a {@code gateway_offline} for each gateway whose latest connection event is a
     *                 {@code gateway_online}: the previous process ended (crash, kill) before it could record the close
     */
    public record Restored(List<GatewayLiveness> gateways, List<FleetEvent> closing) {
        public static final Restored NOTHING = new Restored(List.of(), List.of());

        /**
         * Replicas: without the closing events of gateways some replica heard from within {@code silentMillis}: the
         * latest connection may be another replica's, which holds it still (a false offline would stand until the
         * gateway's next event). A crash of this very hub is then told by the gateway's silence instead.
         */
        public Restored heldElsewhere(Map<String, SharedLiveness.GatewayRow> shared, long now, long silentMillis) {
            List<FleetEvent> kept = new ArrayList<>();
            for (FleetEvent e : closing) {
                SharedLiveness.GatewayRow row = shared.get(e.gateway());
                if (row == null || now - row.lastSeen() >= silentMillis) {
                    kept.add(e);
                }
            }
            return new Restored(gateways, kept);
        }
    }

    public static Restored of(List<GatewayStatus> statuses, FleetEventLog log, long now) {
        List<GatewayLiveness> gateways = new ArrayList<>(statuses.size());
        List<FleetEvent> closing = new ArrayList<>();
        for (GatewayStatus status : statuses) {
            String id = status.gateway();
            FleetEvent silent = latest(log, id, FleetEventType.GATEWAY_SILENT);
            FleetEvent back = latest(log, id, FleetEventType.GATEWAY_BACK);
            FleetEvent online = latest(log, id, FleetEventType.GATEWAY_ONLINE);
            FleetEvent offline = latest(log, id, FleetEventType.GATEWAY_OFFLINE);
            Long silentSince = silent != null && (back == null || silent.time() > back.time()) ? silent.time() : null;
            long lastSeen = Math.max(status.lastSeen(), online == null ? 0 : online.time());
            HealthSummary health = status.lastHealth() == null ? null
                    : HealthSummary.of(status.lastHealth(), status.lastHealthAt());
            gateways.add(new GatewayLiveness(id, status.school(), false, lastSeen, silentSince, health));
            if (online != null && (offline == null || online.time() >= offline.time())) {
                closing.add(new FleetEvent(Math.max(now, online.time()), id, status.school(),
                        FleetEventType.GATEWAY_OFFLINE, OfflineCause.CONNECTION_LOST.label(), null, null,
                        "the hub restarted: the connection ended with the previous hub process"));
            }
        }
        return new Restored(gateways, closing);
    }

    private static FleetEvent latest(FleetEventLog log, String gateway, FleetEventType type) {
        List<FleetEvent> events = log.query(new FleetEventQuery(null, gateway, type, 0, Long.MAX_VALUE, 1));
        return events.isEmpty() ? null : events.get(0);
    }
}

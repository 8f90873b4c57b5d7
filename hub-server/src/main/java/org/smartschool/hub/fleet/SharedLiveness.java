package org.smartschool.hub.fleet;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What hub replicas on one state database tell each other about the fleet's liveness, so that N replicas make the
 * fleet events (and so the alarms) one hub would: the last contact of every gateway and device, whoever heard it,
 * and which silences are open. A silence and its end are each claimed here by exactly one replica, atomically;
 * only that replica records the event. Every method blocks (JDBC): {@link FleetMonitor} calls them on its writer
 * thread or on the worker that runs the check, never under its lock.
 */
public interface SharedLiveness {

    /** The last contact of a gateway, heard by this replica. */
    record GatewayContact(String gateway, String school, long lastSeen) {
    }

    /** The last stored reading of a device, by this replica. */
    record DeviceContact(String school, String device, String room, String gateway, long lastSeen) {
    }

    /** A gateway as the replicas together know it. */
    /** @param connectedElsewhere whether another replica holds the gateway's connection now */
    record GatewayRow(String gateway, String school, long lastSeen, Long silentSince, boolean connectedElsewhere) {
    }

    /** A device as the replicas together know it. */
    record DeviceRow(String school, String device, String room, String gateway, long lastSeen, Long silentSince) {
    }

    /**
     * A silence some replica heard the end of; {@code device} and {@code room} are null for a gateway's.
     *
     * @param lastSeen the contact that ended it
     */
    record Ended(String gateway, String school, String room, String device, long lastSeen) {
    }

    /** How a claim of a silence ended. */
    enum Claim {
        /** This replica records the silence. */
        CLAIMED,
        /** Another replica recorded it already: nothing to record, but the silence is real. */
        ALREADY_SILENT,
        /** Another replica heard from it within the limit: no silence. */
        HEARD_ELSEWHERE
    }

    /** @param lastSeen the latest contact any replica recorded (for {@link Claim#HEARD_ELSEWHERE}) */
    record ClaimResult(Claim claim, long lastSeen) {
    }

    /** Writes the contacts this replica heard since its last call (a newer contact of another replica wins). */
    void recordContacts(List<GatewayContact> gateways, List<DeviceContact> devices);

    /**
     * Ends, once across all replicas, every recorded silence that any replica heard from since; returns those ended
     * now. A claim whose replica never recorded its event is dropped after a minute (by {@code now}), silently.
     */
    List<Ended> endHeardSilences(long now);

    /**
     * Claims a gateway's silence: it succeeds unless a replica already did or heard from it after
     * {@code silentIfBefore}.
     */
    ClaimResult claimGatewaySilence(String gateway, String school, long lastSeenHere, long silentIfBefore, long at);

    ClaimResult claimSensorSilence(DeviceContact lastHere, long silentIfBefore, long at);

    /**
     * The claimant recorded the silence (and so raised its alarm): from now on a replica that hears from it may end
     * it. Until then an end waits, so that a clear never runs ahead of its raise.
     */
    void gatewaySilenceRecorded(String gateway);

    void sensorSilenceRecorded(String school, String device);

    /**
     * Ends the gateway's recorded silence after a contact at {@code at}; true when this call ended it (the caller
     * records its event). A silence claimed but not yet recorded is ended later by {@link #endHeardSilences(long)}.
     */
    boolean endGatewaySilence(String gateway, String school, long at);

    boolean endSensorSilence(DeviceContact contact);

    /**
     * A gateway connected to this replica, which holds its connection from now on; true when that ended its silence
     * (the caller records the event).
     */
    boolean connected(String gateway, String school, long at);

    /** The gateway's connection to this replica ended: it holds the connection no more (unless another does already). */
    void disconnected(String gateway);

    /** True when another replica heard from the gateway after {@code lastContactHere}: it moved away from here. */
    boolean movedAway(String gateway, long lastContactHere);

    /** Every gateway any replica heard from, by id. */
    Map<String, GatewayRow> gateways();

    /** These devices (school, device), as far as the replicas know them. */
    List<DeviceRow> devices(Collection<Map.Entry<String, String>> devices);
}

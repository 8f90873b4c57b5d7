package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.smartschool.hub.fleet.SharedLiveness;

/**
 * Fleet liveness shared by hub replicas in the state database (tables {@code fleet_gateway_contact} and
 * {@code fleet_device_contact}, migration V9). Claims are single conditional UPDATEs, so that of two replicas
 * claiming one silence (or its end) at once, the row lock lets exactly one through. Contacts are written in one
 * transaction per call, ordered by key so that two replicas writing overlapping sets never deadlock.
 */
public final class JdbcSharedLiveness implements SharedLiveness {
    private static final String NEWER = "excluded.last_seen > fleet_gateway_contact.last_seen";
    private static final String GATEWAY_CONTACT = "INSERT INTO fleet_gateway_contact (gateway, school, last_seen, replica)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (gateway) DO UPDATE SET"
            + " school = CASE WHEN " + NEWER + " THEN excluded.school ELSE fleet_gateway_contact.school END,"
            + " replica = CASE WHEN " + NEWER + " THEN excluded.replica ELSE fleet_gateway_contact.replica END,"
            + " last_seen = CASE WHEN " + NEWER + " THEN excluded.last_seen ELSE fleet_gateway_contact.last_seen END";
    private static final String DEVICE_NEWER = "excluded.last_seen > fleet_device_contact.last_seen";
    private static final String DEVICE_CONTACT = "INSERT INTO fleet_device_contact (school, device, room, gateway, last_seen)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (school, device) DO UPDATE SET"
            + " room = CASE WHEN " + DEVICE_NEWER + " THEN excluded.room ELSE fleet_device_contact.room END,"
            + " gateway = CASE WHEN " + DEVICE_NEWER + " THEN excluded.gateway ELSE fleet_device_contact.gateway END,"
            + " last_seen = CASE WHEN " + DEVICE_NEWER + " THEN excluded.last_seen ELSE fleet_device_contact.last_seen END";

    /**
     * A claim whose event was never recorded (its replica died in between) is dropped after this, without an
     * event (it raised no alarm), so that the silence can be claimed again.
     */
    static final long UNRECORDED_CLAIM_MS = 60_000;

    private final Jdbc jdbc;
    private final String replica;

    /** @param replica this hub process's id, written with its contacts */
    public JdbcSharedLiveness(StateDatabase db, String replica) {
        this.jdbc = new Jdbc(db);
        this.replica = replica;
    }

    public String replica() {
        return replica;
    }

    @Override
    public void recordContacts(List<GatewayContact> gateways, List<DeviceContact> devices) {
        if (gateways.isEmpty() && devices.isEmpty()) {
            return;
        }
        List<GatewayContact> g = new ArrayList<>(gateways);
        g.sort(Comparator.comparing(GatewayContact::gateway));
        List<DeviceContact> d = new ArrayList<>(devices);
        d.sort(Comparator.comparing(DeviceContact::school).thenComparing(DeviceContact::device));
        jdbc.write(c -> {
            try (PreparedStatement st = c.prepareStatement(GATEWAY_CONTACT)) {
                for (GatewayContact contact : g) {
                    st.setString(1, contact.gateway());
                    st.setString(2, contact.school());
                    st.setLong(3, contact.lastSeen());
                    st.setString(4, replica);
                    st.addBatch();
                }
                st.executeBatch();
            }
            try (PreparedStatement st = c.prepareStatement(DEVICE_CONTACT)) {
                for (DeviceContact contact : d) {
                    st.setString(1, contact.school());
                    st.setString(2, contact.device());
                    st.setString(3, contact.room() == null ? "" : contact.room());
                    st.setString(4, contact.gateway());
                    st.setLong(5, contact.lastSeen());
                    st.addBatch();
                }
                st.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Ended> endHeardSilences(long now) {
        long abandoned = now - UNRECORDED_CLAIM_MS;
        return jdbc.write(c -> {
            List<Ended> ended = new ArrayList<>(Jdbc.query(c, "UPDATE fleet_gateway_contact SET silent_since = NULL,"
                            + " silent_recorded = 0 WHERE silent_since IS NOT NULL AND silent_recorded = 1"
                            + " AND last_seen > silent_since RETURNING gateway, school, last_seen",
                    rs -> new Ended(rs.getString(1), rs.getString(2), null, null, rs.getLong(3))));
            ended.addAll(Jdbc.query(c, "UPDATE fleet_device_contact SET silent_since = NULL, silent_recorded = 0"
                            + " WHERE silent_since IS NOT NULL AND silent_recorded = 1 AND last_seen > silent_since"
                            + " RETURNING gateway, school, room, device, last_seen",
                    rs -> new Ended(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5))));
            Jdbc.update(c, "UPDATE fleet_gateway_contact SET silent_since = NULL WHERE silent_since IS NOT NULL"
                    + " AND silent_recorded = 0 AND silent_since < ? AND last_seen > silent_since", abandoned);
            Jdbc.update(c, "UPDATE fleet_device_contact SET silent_since = NULL WHERE silent_since IS NOT NULL"
                    + " AND silent_recorded = 0 AND silent_since < ? AND last_seen > silent_since", abandoned);
            return ended;
        });
    }

    @Override
    public void gatewaySilenceRecorded(String gateway) {
        jdbc.write(c -> Jdbc.update(c, "UPDATE fleet_gateway_contact SET silent_recorded = 1"
                + " WHERE gateway = ? AND silent_since IS NOT NULL", gateway));
    }

    @Override
    public void sensorSilenceRecorded(String school, String device) {
        jdbc.write(c -> Jdbc.update(c, "UPDATE fleet_device_contact SET silent_recorded = 1"
                + " WHERE school = ? AND device = ? AND silent_since IS NOT NULL", school, device));
    }

    @Override
    public ClaimResult claimGatewaySilence(String gateway, String school, long lastSeenHere, long silentIfBefore, long at) {
        return jdbc.write(c -> {
            Jdbc.update(c, "INSERT INTO fleet_gateway_contact (gateway, school, last_seen, replica) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (gateway) DO NOTHING", gateway, school, lastSeenHere, replica);
            int claimed = Jdbc.update(c, "UPDATE fleet_gateway_contact SET silent_since = ?, silent_recorded = 0"
                    + " WHERE gateway = ? AND silent_since IS NULL AND last_seen <= ?", at, gateway, silentIfBefore);
            if (claimed > 0) {
                return new ClaimResult(Claim.CLAIMED, lastSeenHere);
            }
            return Jdbc.query(c, "SELECT last_seen, silent_since FROM fleet_gateway_contact WHERE gateway = ?",
                    rs -> new ClaimResult(Jdbc.longOrNull(rs, "silent_since") != null ? Claim.ALREADY_SILENT
                            : Claim.HEARD_ELSEWHERE, rs.getLong("last_seen")), gateway).get(0);
        });
    }

    @Override
    public ClaimResult claimSensorSilence(DeviceContact here, long silentIfBefore, long at) {
        return jdbc.write(c -> {
            Jdbc.update(c, "INSERT INTO fleet_device_contact (school, device, room, gateway, last_seen)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (school, device) DO NOTHING", here.school(), here.device(),
                    here.room() == null ? "" : here.room(), here.gateway(), here.lastSeen());
            int claimed = Jdbc.update(c, "UPDATE fleet_device_contact SET silent_since = ?, silent_recorded = 0"
                    + " WHERE school = ? AND device = ? AND silent_since IS NULL AND last_seen <= ?",
                    at, here.school(), here.device(), silentIfBefore);
            if (claimed > 0) {
                return new ClaimResult(Claim.CLAIMED, here.lastSeen());
            }
            return Jdbc.query(c, "SELECT last_seen, silent_since FROM fleet_device_contact WHERE school = ? AND device = ?",
                    rs -> new ClaimResult(Jdbc.longOrNull(rs, "silent_since") != null ? Claim.ALREADY_SILENT
                            : Claim.HEARD_ELSEWHERE, rs.getLong("last_seen")), here.school(), here.device()).get(0);
        });
    }

    @Override
    public boolean endGatewaySilence(String gateway, String school, long at) {
        return jdbc.write(c -> {
            upsertGateway(c, gateway, school, at);
            return Jdbc.update(c, "UPDATE fleet_gateway_contact SET silent_since = NULL, silent_recorded = 0"
                    + " WHERE gateway = ? AND silent_since IS NOT NULL AND silent_recorded = 1", gateway) > 0;
        });
    }

    @Override
    public boolean endSensorSilence(DeviceContact contact) {
        return jdbc.write(c -> {
            try (PreparedStatement st = c.prepareStatement(DEVICE_CONTACT)) {
                st.setString(1, contact.school());
                st.setString(2, contact.device());
                st.setString(3, contact.room() == null ? "" : contact.room());
                st.setString(4, contact.gateway());
                st.setLong(5, contact.lastSeen());
                st.executeUpdate();
            }
            return Jdbc.update(c, "UPDATE fleet_device_contact SET silent_since = NULL, silent_recorded = 0"
                    + " WHERE school = ? AND device = ? AND silent_since IS NOT NULL AND silent_recorded = 1",
                    contact.school(), contact.device()) > 0;
        });
    }

    @Override
    public boolean connected(String gateway, String school, long at) {
        return jdbc.write(c -> {
            upsertGateway(c, gateway, school, at);
            Jdbc.update(c, "UPDATE fleet_gateway_contact SET connected_replica = ? WHERE gateway = ?", replica, gateway);
            return Jdbc.update(c, "UPDATE fleet_gateway_contact SET silent_since = NULL, silent_recorded = 0"
                    + " WHERE gateway = ? AND silent_since IS NOT NULL AND silent_recorded = 1", gateway) > 0;
        });
    }

    @Override
    public void disconnected(String gateway) {
        jdbc.write(c -> Jdbc.update(c, "UPDATE fleet_gateway_contact SET connected_replica = NULL"
                + " WHERE gateway = ? AND connected_replica = ?", gateway, replica));
    }

    @Override
    public boolean movedAway(String gateway, long lastContactHere) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT replica, last_seen FROM fleet_gateway_contact WHERE gateway = ?",
                rs -> !replica.equals(rs.getString(1)) && rs.getLong(2) > lastContactHere, gateway)
                .stream().findFirst().orElse(false));
    }

    @Override
    public Map<String, GatewayRow> gateways() {
        return jdbc.read(c -> {
            Map<String, GatewayRow> out = new HashMap<>();
            for (GatewayRow row : Jdbc.query(c, "SELECT gateway, school, last_seen, silent_since, connected_replica"
                    + " FROM fleet_gateway_contact", rs -> new GatewayRow(rs.getString(1), rs.getString(2), rs.getLong(3),
                    Jdbc.longOrNull(rs, "silent_since"), rs.getString(5) != null && !replica.equals(rs.getString(5))))) {
                out.put(row.gateway(), row);
            }
            return out;
        });
    }

    @Override
    public List<DeviceRow> devices(Collection<Map.Entry<String, String>> devices) {
        if (devices.isEmpty()) {
            return List.of();
        }
        return jdbc.read(c -> {
            List<DeviceRow> out = new ArrayList<>();
            for (Map.Entry<String, String> key : devices) {
                out.addAll(Jdbc.query(c, "SELECT school, device, room, gateway, last_seen, silent_since"
                                + " FROM fleet_device_contact WHERE school = ? AND device = ?",
                        rs -> new DeviceRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getLong(5), Jdbc.longOrNull(rs, "silent_since")), key.getKey(), key.getValue()));
            }
            return out;
        });
    }

    private void upsertGateway(Connection c, String gateway, String school, long at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(GATEWAY_CONTACT)) {
            st.setString(1, gateway);
            st.setString(2, school);
            st.setLong(3, at);
            st.setString(4, replica);
            st.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return "JdbcSharedLiveness[" + replica + "]";
    }
}

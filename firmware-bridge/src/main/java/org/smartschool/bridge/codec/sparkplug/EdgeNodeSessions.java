package org.smartschool.bridge.codec.sparkplug;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the codec learnt from each edge node's BIRTH messages: its metric definitions (by alias and by
 * name, for the node and for each device), its bdSeq and its last {@code seq}.
 *
 * <p>Bounded: at most {@code maxEdgeNodes} sessions (the least recently heard one is forgotten first) and
 * at most {@code maxDefinitions} metric names and aliases per edge node, its devices included. With the
 * defaults (32 nodes, 4096 entries) that is at most about 131,000 entries, some 20 MB, whatever a broker
 * carries. Not thread-safe: owned by one codec instance, which one south connection owns.
 */
final class EdgeNodeSessions {

    /** A metric as its BIRTH defined it. */
    record Definition(String name, int datatype, String unit) {
    }

    /** One edge node's or device's metrics. */
    static final class MetricTable {
        final Map<Long, Definition> byAlias = new HashMap<>();
        final Map<String, Definition> byName = new HashMap<>();

        int entries() {
            return byAlias.size() + byName.size();
        }
    }

    static final class Session {
        /** bdSeq of the NBIRTH that opened the session, or -1 when unknown */
        long bdSeq = -1;
        /** the last seq heard, or -1 before any */
        int lastSeq = -1;
        final MetricTable node = new MetricTable();
        final Map<String, MetricTable> devices = new HashMap<>();
        int definitions;
    }

    private final int maxDefinitions;
    private final LinkedHashMap<String, Session> sessions;
    private long forgotten;

    EdgeNodeSessions(int maxEdgeNodes, int maxDefinitions) {
        this.maxDefinitions = maxDefinitions;
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                if (size() > maxEdgeNodes) {
                    forgotten++;
                    return true;
                }
                return false;
            }
        };
    }

    /** The session of an edge node, or null when none was opened (or it was forgotten). */
    Session find(String edgeNodeKey) {
        return sessions.get(edgeNodeKey);
    }

    /** A fresh session for an NBIRTH: the edge node's previous definitions and devices are void. */
    Session open(String edgeNodeKey) {
        Session session = new Session();
        sessions.put(edgeNodeKey, session);
        return session;
    }

    /** The session, opened without an NBIRTH when needed (a DBIRTH heard first). */
    Session findOrOpen(String edgeNodeKey) {
        Session session = sessions.get(edgeNodeKey);
        return session != null ? session : open(edgeNodeKey);
    }

    void close(String edgeNodeKey) {
        sessions.remove(edgeNodeKey);
    }

    /** A fresh table for a device's DBIRTH, replacing (and un-counting) what its previous DBIRTH taught. */
    MetricTable rebirthDevice(Session session, String device) {
        MetricTable previous = session.devices.remove(device);
        if (previous != null) {
            session.definitions -= previous.entries();
        }
        MetricTable table = new MetricTable();
        session.devices.put(device, table);
        return table;
    }

    void forgetDevice(Session session, String device) {
        MetricTable previous = session.devices.remove(device);
        if (previous != null) {
            session.definitions -= previous.entries();
        }
    }

    /**
     * Learns one definition under its name and alias; false when the edge node has taught as many as it
     * may (names and aliases both count, so a BIRTH repeating one name under many aliases is bounded too).
     */
    boolean learn(Session session, MetricTable table, Definition definition, Long alias) {
        int before = table.entries();
        boolean newName = !table.byName.containsKey(definition.name());
        boolean newAlias = alias != null && !table.byAlias.containsKey(alias);
        if (session.definitions + (newName ? 1 : 0) + (newAlias ? 1 : 0) > maxDefinitions) {
            return false;
        }
        table.byName.put(definition.name(), definition);
        if (alias != null) {
            table.byAlias.put(alias, definition);
        }
        session.definitions += table.entries() - before;
        return true;
    }

    int maxDefinitions() {
        return maxDefinitions;
    }

    long forgotten() {
        return forgotten;
    }

    int size() {
        return sessions.size();
    }
}

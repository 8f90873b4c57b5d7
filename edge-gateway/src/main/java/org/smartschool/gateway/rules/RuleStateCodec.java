package org.smartschool.gateway.rules;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's state as keyed binary rows, for the outbox's {@code rule_state} table: a track per
 * row ({@code t:school/room/device/rule}), a detector alarm per row ({@code a:room/device/kind}),
 * a device's last state per row ({@code s:room/device/what}). Rows change with the records that
 * changed them, in the same transaction, so a restarted gateway goes on from exactly what its
 * outbox holds.
 *
 * <p>Binary rather than JSON: a CO2 track with its 15-minute mean is about 300 bytes instead of
 * 1.5 kB, written once per group commit in which its series had a reading. A row that does not
 * decode (another format version) is left out: its series starts afresh, nothing else is lost.
 */
public final class RuleStateCodec {
    static final String TRACK = "t:";
    static final String ALERT = "a:";
    static final String LAST_STATE = "s:";
    private static final int VERSION = 1;

    private RuleStateCodec() {
    }

    /**
     * The state the rows describe; rows that do not decode are left out.
     *
     * @param rows key -> value, as {@link RuleEngine#changedStateSinceMark()} wrote them
     * @param unreadable receives the keys of rows left out (so they can be deleted)
     */
    public static RuleState decode(Map<String, byte[]> rows, List<String> unreadable) {
        List<RuleTrack.State> tracks = new ArrayList<>();
        Map<String, AlertAlarms.Open> alerts = new HashMap<>();
        Map<String, String> lastStates = new HashMap<>();
        rows.forEach((key, value) -> {
            try {
                if (key.startsWith(TRACK)) {
                    tracks.add(decodeTrack(value));
                } else if (key.startsWith(ALERT)) {
                    alerts.put(key.substring(ALERT.length()), decodeAlert(value));
                } else if (key.startsWith(LAST_STATE)) {
                    lastStates.put(key.substring(LAST_STATE.length()), new String(value, StandardCharsets.UTF_8));
                } else {
                    unreadable.add(key);
                }
            } catch (IOException | RuntimeException e) {
                unreadable.add(key);
            }
        });
        return new RuleState(tracks, alerts, lastStates);
    }


    static byte[] encodeTrack(RuleTrack.State s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(s.school());
            out.writeUTF(s.room());
            out.writeUTF(s.device());
            out.writeUTF(s.rule());
            int levels = s.since().length;
            out.writeByte(levels);
            for (int i = 0; i < levels; i++) {
                out.writeLong(s.since()[i]);
                out.writeBoolean(s.active()[i]);
                WindowedMean.State mean = s.means()[i];
                if (mean == null) {
                    out.writeByte(0);
                } else {
                    // only the buckets that hold readings: a window filling up is small
                    int used = 0;
                    for (long index : mean.bucketIndex()) {
                        used += index == Long.MIN_VALUE ? 0 : 1;
                    }
                    out.writeByte(1 + used);
                    for (int b = 0; b < mean.bucketIndex().length; b++) {
                        if (mean.bucketIndex()[b] != Long.MIN_VALUE) {
                            out.writeByte(b);
                            out.writeLong(mean.bucketIndex()[b]);
                            out.writeDouble(mean.sums()[b]);
                            out.writeInt(mean.counts()[b]);
                        }
                    }
                }
            }
            out.writeDouble(s.previous());
            out.writeLong(s.previousAt());
            out.writeInt(s.unchanged());
            out.writeLong(s.lastAt());
            out.writeBoolean(s.alarmId() != null);
            if (s.alarmId() != null) {
                out.writeUTF(s.alarmId());
                out.writeLong(s.raisedAt());
                out.writeUTF(s.severity() == null ? "" : s.severity());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    static RuleTrack.State decodeTrack(byte[] value) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
        if (in.readByte() != VERSION) {
            throw new IOException("rule state of another version");
        }
        String school = in.readUTF();
        String room = in.readUTF();
        String device = in.readUTF();
        String rule = in.readUTF();
        int levels = in.readByte();
        long[] since = new long[levels];
        boolean[] active = new boolean[levels];
        WindowedMean.State[] means = new WindowedMean.State[levels];
        for (int i = 0; i < levels; i++) {
            since[i] = in.readLong();
            active[i] = in.readBoolean();
            int mean = in.readByte();
            if (mean > 0) {
                long[] index = new long[WindowedMean.BUCKETS];
                double[] sums = new double[WindowedMean.BUCKETS];
                int[] counts = new int[WindowedMean.BUCKETS];
                java.util.Arrays.fill(index, Long.MIN_VALUE);
                for (int k = 0; k < mean - 1; k++) {
                    int b = in.readByte();
                    index[b] = in.readLong();
                    sums[b] = in.readDouble();
                    counts[b] = in.readInt();
                }
                means[i] = new WindowedMean.State(index, sums, counts);
            }
        }
        double previous = in.readDouble();
        long previousAt = in.readLong();
        int unchanged = in.readInt();
        long lastAt = in.readLong();
        String alarmId = null;
        long raisedAt = 0;
        String severity = null;
        if (in.readBoolean()) {
            alarmId = in.readUTF();
            raisedAt = in.readLong();
            severity = in.readUTF();
        }
        return new RuleTrack.State(school, room, device, rule, since, active, means, previous, previousAt, unchanged,
                lastAt, alarmId, raisedAt, severity);
    }

    static byte[] encodeAlert(AlertAlarms.Open open) {
        return (open.alarmId() + '\n' + open.raisedAt() + '\n' + open.severity()).getBytes(StandardCharsets.UTF_8);
    }

    static AlertAlarms.Open decodeAlert(byte[] value) throws IOException {
        String[] parts = new String(value, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 3) {
            throw new IOException("detector alarm state needs 3 lines");
        }
        return new AlertAlarms.Open(parts[0], Long.parseLong(parts[1]), parts[2]);
    }

    static byte[] encodeText(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

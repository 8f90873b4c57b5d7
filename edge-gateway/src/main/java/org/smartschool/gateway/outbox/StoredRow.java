package org.smartschool.gateway.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.smartschool.bridge.model.Reading;

/**
 * An outbox row as read back: a compact row of readings or events ({@link CompactRecords}), or a
 * row of a file written before them, one record as JSON text ({@link RecordJson}).
 */
final class StoredRow {
    private final String kind;
    private final int records;
    private final byte[] compact;
    private final String json;

    private StoredRow(String kind, int records, byte[] compact, String json) {
        this.kind = kind;
        this.records = records;
        this.compact = compact;
        this.json = json;
    }

    /** The row at the result set's cursor, whose columns include {@code body}. */
    static StoredRow read(String kind, int records, ResultSet rs) throws SQLException {
        if (isCompact(kind)) {
            return new StoredRow(kind, records, rs.getBytes("body"), null);
        }
        return new StoredRow(kind, records, null, rs.getString("body"));
    }

    private static boolean isCompact(String kind) {
        return Outbox.KIND_READINGS.equals(kind) || Outbox.KIND_EVENTS.equals(kind);
    }

    /**
     * Its records: {@link Reading}s or {@link org.smartschool.bridge.model.DeviceEvent}s.
     *
     * @throws IllegalArgumentException or JsonProcessingException when the row cannot be read
     */
    List<?> decode(RecordJson codec) throws JsonProcessingException {
        if (compact != null) {
            List<?> out = Outbox.KIND_READINGS.equals(kind) ? CompactRecords.decodeReadings(compact)
                    : CompactRecords.decodeEvents(compact);
            if (out.size() != records) {
                throw new IllegalArgumentException("it holds " + out.size() + " records, its records column says " + records);
            }
            return out;
        }
        if (json == null) {
            throw new IllegalArgumentException("no body");
        }
        return switch (kind) {
            case RecordJson.READING -> List.of(codec.readReading(json));
            case RecordJson.EVENT -> List.of(codec.readEvent(json));
            default -> throw new IllegalArgumentException("unknown record kind '" + kind + "'");
        };
    }

    /** Its records as lines of a refused batch ({@link RecordJson#line}); an unreadable row as one line that keeps its bytes. */
    void appendLines(RecordJson codec, StringBuilder out) {
        if (compact == null) {
            out.append(RecordJson.line(kind, json)).append('\n'); // kept as stored, readable or not
            return;
        }
        List<?> decoded;
        try {
            decoded = decode(codec);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            out.append(unreadableLine()).append('\n');
            return;
        }
        List<String> lines = new ArrayList<>(decoded.size());
        for (Object record : decoded) {
            lines.add(RecordJson.line(record instanceof Reading ? RecordJson.READING : RecordJson.EVENT, codec.write(record)));
        }
        lines.forEach(line -> out.append(line).append('\n'));
    }

    /** One line for a row that cannot be read: as stored, so that nothing of it is lost. */
    String unreadableLine() {
        if (compact == null) {
            return RecordJson.line(kind, json == null ? "null" : json);
        }
        return "{\"kind\":\"unreadable\",\"rowKind\":\"" + kind + "\",\"records\":" + records + ",\"base64\":\""
                + Base64.getEncoder().encodeToString(compact) + "\"}";
    }
}

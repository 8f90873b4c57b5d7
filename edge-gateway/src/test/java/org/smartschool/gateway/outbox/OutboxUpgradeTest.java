package org.smartschool.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.support.Records;

/** Verifies that an outbox file written before compact rows (one JSON record a row) is delivered after an upgrade. */
@Timeout(30)
class OutboxUpgradeTest {
    @TempDir
    Path dir;

    /** The outbox file as the gateway wrote it before compact rows: the schema and rows of that version. */
    private Path oldFile(List<Reading> readings, DeviceEvent event) throws Exception {
        Path file = dir.resolve("old-outbox.db");
        RecordJson json = new RecordJson();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = db.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("CREATE TABLE records (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
                    + " body TEXT NOT NULL, appended_at INTEGER NOT NULL)");
            st.execute("CREATE TABLE device_dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL,"
                    + " content_type TEXT, payload BLOB NOT NULL, received_at INTEGER NOT NULL, reason TEXT NOT NULL,"
                    + " at INTEGER NOT NULL)");
            st.execute("CREATE TABLE refused_batches (id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT NOT NULL,"
                    + " topic TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL, records TEXT NOT NULL)");
            st.execute("CREATE TABLE recent_digests (id INTEGER PRIMARY KEY, recorded_at INTEGER NOT NULL, digests BLOB NOT NULL)");
            st.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('records', 1760000000000)");
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO records(kind, body, appended_at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < readings.size(); i++) {
                    ps.setString(1, RecordJson.READING);
                    ps.setString(2, json.write(readings.get(i)));
                    ps.setLong(3, Records.T0);
                    ps.executeUpdate();
                    if (i == 1) {
                        ps.setString(1, RecordJson.EVENT);
                        ps.setString(2, json.write(event));
                        ps.setLong(3, Records.T0);
                        ps.executeUpdate();
                    }
                }
            }
        }
        return file;
    }

    @Test
    void recordsOfAnOldFileAreDeliveredInOrderThenNewRowsAreCompact() throws Exception {
        List<Reading> old = Records.co2("s1", "r1", 4);
        DeviceEvent door = Records.doorOpen("s1", "r1", Records.T0);
        Path file = oldFile(old, door);
        List<Reading> fresh = Records.co2("s1", "r2", 3);

        try (Outbox outbox = Outbox.open(file, OutboxLimits.defaults().withDisk(0, 0))) {
            assertThat(outbox.size()).isEqualTo(5);
            long oldBytes = outbox.bytes();
            assertThat(oldBytes).isGreaterThan(5L * 100); // JSON rows: over 100 bytes each

            outbox.append(fresh, List.of());
            assertThat(outbox.size()).isEqualTo(8);
            assertThat(outbox.bytes() - oldBytes).isLessThan(100); // one compact row of 3 readings

            // the old rows first, one record a row, in their order
            OutboxBatch first = outbox.peek(3);
            assertThat(first.readings()).containsExactlyElementsOf(old.subList(0, 2));
            assertThat(first.events()).containsExactly(door);
            assertThat(first.firstSeq()).isEqualTo(1760000000001L);
            assertThat(first.lastSeq()).isEqualTo(1760000000003L);
            outbox.remove(first.lastSeq());

            OutboxBatch rest = outbox.peek(100);
            List<Reading> expected = new ArrayList<>(old.subList(2, 4));
            expected.addAll(fresh);
            assertThat(rest.readings()).containsExactlyElementsOf(expected);
            assertThat(rest.lastSeq()).isEqualTo(1760000000006L); // the new row's seq follows the old ones
            outbox.moveToRefusedBatches(rest.lastSeq(), "gw-1-4-6", "ss/v1/s1/gw-1/batch", "0x99 bad");
            assertThat(outbox.size()).isZero();
            assertThat(outbox.bytes()).isZero();

            // old and new rows alike become readable JSON lines, and go back into the outbox on replay
            RefusedBatch refused = outbox.refusedBatches(1).get(0);
            assertThat(refused.lines().lines()).hasSize(5).allMatch(line -> line.startsWith("{\"kind\":\"reading\",\"record\":{"));
            assertThat(outbox.replayRefusedBatch(refused.id())).isEqualTo(5);
            assertThat(outbox.peek(100).readings()).containsExactlyElementsOf(expected);
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT kind, records, typeof(body) FROM records ORDER BY seq")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + "/" + rs.getInt(2) + "/" + rs.getString(3));
            }
            assertThat(rows).containsExactly("R/5/blob");
        }
    }
}

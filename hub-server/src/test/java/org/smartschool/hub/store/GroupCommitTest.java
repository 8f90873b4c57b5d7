package org.smartschool.hub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.testsupport.Poll;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/** Writes of several threads committed together on one SQLite connection. */
@Timeout(60)
class GroupCommitTest {
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    private Connection connection;
    private GroupCommit commits;
    private final AtomicInteger commitCount = new AtomicInteger();
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, r -> new Thread(r, "writer"));

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO t (k) VALUES (100)");
        }
        connection.unwrap(SQLiteConnection.class).addCommitListener(new SQLiteCommitListener() {
            @Override
            public void onCommit() {
                commitCount.incrementAndGet();
            }

            @Override
            public void onRollback() {
            }
        });
        commits = new GroupCommit(connection);
    }

    @AfterEach
    void close() throws SQLException {
        writers.shutdownNow();
        connection.close();
    }

    /**
     * Verifies that the writes queued while the connection is busy are committed by one commit, each of them
     * in it, and that one failing write is undone alone: its caller gets the error, the others' rows stay.
     */
    @Test
    void writesQueuedMeanwhileShareOneCommitAndAFailingOneIsUndoneAlone() throws Exception {
        List<Future<?>> results = new ArrayList<>();
        synchronized (commits.lock()) { // the connection busy: as with a commit on its way to the disk
            for (int k = 0; k < WRITERS; k++) {
                int key = k;
                results.add(writers.submit(() -> {
                    commits.run(c -> insert(c, key == 3 ? 100 : key)); // the primary key refuses a second 100
                    return null;
                }));
            }
            Poll.until(Duration.ofSeconds(10), "every writer queued", () -> queuedWriters() == WRITERS);
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<?> result : results) {
            try {
                result.get();
                outcomes.add("ok");
            } catch (java.util.concurrent.ExecutionException e) {
                outcomes.add(e.getCause().getClass().getSimpleName());
            }
        }

        assertThat(outcomes).containsExactly("ok", "ok", "ok", "SQLiteException", "ok", "ok", "ok", "ok");
        assertThat(commitCount.get()).as("commits").isEqualTo(1);
        assertThat(keys()).containsExactly(0, 1, 2, 4, 5, 6, 7, 100);
    }

    /**
     * Verifies that with transactions opened per group (the state database's batch ids), the writes queued while a
     * group is written go into one transaction, and one failing write is still undone alone.
     */
    @Test
    void writesQueuedMeanwhileShareOneOpenedTransaction() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        GroupCommit perGroup = new GroupCommit(work -> {
            opened.incrementAndGet();
            connection.setAutoCommit(false);
            work.apply(connection);
            connection.commit();
            connection.setAutoCommit(true);
        });
        List<Future<?>> results = new ArrayList<>();
        synchronized (perGroup.lock()) { // a group being written
            for (int k = 0; k < WRITERS; k++) {
                int key = k;
                results.add(writers.submit(() -> {
                    perGroup.run(c -> insert(c, key == 5 ? 100 : key));
                    return null;
                }));
            }
            Poll.until(Duration.ofSeconds(10), "every writer queued", () -> queuedWriters() == WRITERS);
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<?> result : results) {
            try {
                result.get();
                outcomes.add("ok");
            } catch (java.util.concurrent.ExecutionException e) {
                outcomes.add(e.getCause().getClass().getSimpleName());
            }
        }

        assertThat(outcomes).containsExactly("ok", "ok", "ok", "ok", "ok", "SQLiteException", "ok", "ok");
        assertThat(opened.get()).as("transactions opened").isEqualTo(1);
        assertThat(commitCount.get()).as("commits").isEqualTo(1);
        assertThat(keys()).containsExactly(0, 1, 2, 3, 4, 6, 7, 100);
    }

    /** Verifies that a write on its own is committed at once and its error reaches its caller. */
    @Test
    void aWriteAloneIsCommittedAndItsErrorReported() throws Exception {
        commits.run(c -> insert(c, 1));
        assertThat(commitCount.get()).isEqualTo(1);
        assertThat(keys()).containsExactly(1, 100);

        assertThatThrownBy(() -> commits.run(c -> insert(c, 1))).isInstanceOf(SQLException.class)
                .hasMessageContaining("UNIQUE");
        commits.run(c -> insert(c, 2));
        assertThat(keys()).containsExactly(1, 2, 100);
    }

    private static void insert(Connection c, int key) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO t (k) VALUES (" + key + ")");
        }
    }

    /** Writer threads waiting for the connection's lock. */
    private int queuedWriters() {
        int blocked = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("writer") && t.getState() == Thread.State.BLOCKED) {
                blocked++;
            }
        }
        return blocked;
    }

    private List<Integer> keys() throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
             Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT k FROM t ORDER BY k")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }
}

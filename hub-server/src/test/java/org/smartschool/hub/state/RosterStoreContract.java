package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.roster.Card;
import org.smartschool.hub.roster.CardKey;
import org.smartschool.hub.roster.Excuse;
import org.smartschool.hub.roster.Roster;
import org.smartschool.hub.roster.RosterCsv;
import org.smartschool.hub.roster.RosterExamples;
import org.smartschool.hub.roster.RosterStore;

/**
 * Rosters, excuses and card keys in the state database (migration V6), the same on SQLite and PostgreSQL:
 * a roster comes back as imported, a re-import replaces it but keeps revoked cards revoked, excuses are
 * kept once, keys rotate only over the key the caller saw, and every change raises the school's revision.
 */
@Timeout(60)
abstract class RosterStoreContract {
    static final String SCHOOL = "school-01";
    static final long T0 = 1_796_600_000_000L;

    @TempDir
    Path dir;
    StateDatabase db;
    JdbcRosterStore store;
    StateConfig config;

    abstract StateConfig emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        config = emptyDatabase();
        db = StateDatabase.open(config);
        store = new JdbcRosterStore(db);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /** Verifies that an imported roster reads back equal, also after the database is opened again. */
    @Test
    void aRosterReadsBackAsImportedAfterAReopen() {
        Roster roster = RosterCsv.read(RosterExamples.csv(), null);
        store.replace(SCHOOL, roster, "csv", T0);
        db.close();
        db = StateDatabase.open(config);
        store = new JdbcRosterStore(db);

        Roster back = store.roster(SCHOOL).orElseThrow();
        assertThat(back.timetable()).isEqualTo(roster.timetable());
        assertThat(back.learners()).containsExactlyInAnyOrderElementsOf(roster.learners());
        assertThat(back.cards()).containsExactlyInAnyOrderElementsOf(roster.cards());
        assertThat(store.imported(SCHOOL)).contains(new RosterStore.Imported(SCHOOL, T0, "csv", 1));
        assertThat(store.roster("school-02")).isEmpty();
        assertThat(store.revisions()).isEqualTo(Map.of(SCHOOL, 1L));
    }

    /**
     * Verifies that a re-import without a revoked card keeps it revoked, a card revoked through the store stays
     * revoked after an import that no longer lists it, and that learners gone from the import are gone.
     */
    @Test
    void aReimportReplacesTheRosterButKeepsRevokedCards() {
        Roster roster = RosterCsv.read(RosterExamples.csv(), null);
        store.replace(SCHOOL, roster, "csv", T0);
        Card lost = roster.cards().stream().filter(c -> !c.revoked()).findFirst().orElseThrow();
        assertThat(store.revokeCard(SCHOOL, lost.uid(), T0 + 1)).isTrue();
        assertThat(store.revokeCard(SCHOOL, "0A0B0C0D", T0 + 1)).isFalse();
        Card revokedInFile = roster.cards().stream().filter(Card::revoked).findFirst().orElseThrow();

        // the next import drops both cards and the last learner
        List<Card> cards = new ArrayList<>(roster.cards());
        cards.removeIf(c -> c.uid().equals(lost.uid()) || c.uid().equals(revokedInFile.uid()));
        Roster next = new Roster(roster.timetable(), roster.learners().subList(0, roster.learners().size() - 1), cards);
        store.replace(SCHOOL, next, "oneroster", T0 + 2);

        Roster back = store.roster(SCHOOL).orElseThrow();
        assertThat(back.learners()).hasSize(roster.learners().size() - 1);
        assertThat(back.cards()).contains(new Card(lost.uid(), lost.learner(), true), revokedInFile);
        assertThat(back.cards()).hasSize(cards.size() + 2);
        assertThat(store.imported(SCHOOL).orElseThrow().revision()).isEqualTo(3); // import, revoke, import
    }

    /** Verifies that an excuse is kept once, with or without a period, and raises the revision once. */
    @Test
    void excusesAreKeptOnce() {
        store.replace(SCHOOL, RosterCsv.read(RosterExamples.csv(), null), "csv", T0);
        Excuse session = new Excuse("079214046885", LocalDate.of(2026, 12, 3), "morning", null);
        Excuse period = new Excuse("079214046885", LocalDate.of(2026, 12, 3), "morning", "p2");

        assertThat(store.addExcuse(SCHOOL, session, T0)).isTrue();
        assertThat(store.addExcuse(SCHOOL, session, T0)).isFalse();
        assertThat(store.addExcuse(SCHOOL, period, T0)).isTrue();

        assertThat(store.excuses(SCHOOL)).containsExactly(session, period);
        assertThat(store.imported(SCHOOL).orElseThrow().revision()).isEqualTo(3);
    }

    /**
     * Verifies that a key replaces the current one only over the id the caller saw (two replicas rotating at once
     * make one new key), that the newest is current, and which schools' keys are older than a time.
     */
    @Test
    void keysRotateOverTheKeyTheCallerSaw() {
        store.replace(SCHOOL, RosterCsv.read(RosterExamples.csv(), null), "csv", T0);
        store.replace("school-02", RosterCsv.read(RosterExamples.csv(), null), "csv", T0);
        SecureRandom random = new SecureRandom();
        assertThat(store.keysOlderThan(T0)).containsExactly(SCHOOL, "school-02"); // none yet

        CardKey first = store.rotateKey(SCHOOL, CardKey.generate(random, T0), null);
        CardKey second = CardKey.generate(random, T0 + 1000);
        CardKey other = CardKey.generate(random, T0 + 1000);
        assertThat(store.rotateKey(SCHOOL, second, first.id())).isEqualTo(second);
        assertThat(store.rotateKey(SCHOOL, other, first.id())).isEqualTo(second); // the other replica saw the old key
        store.rotateKey("school-02", CardKey.generate(random, T0 + 5000), null);

        assertThat(store.cardKey(SCHOOL)).contains(second);
        assertThat(store.cardKey(SCHOOL).orElseThrow().secret()).isEqualTo(second.secret());
        assertThat(store.keysOlderThan(T0 + 2000)).containsExactly(SCHOOL);
        assertThat(store.keysOlderThan(T0 + 500)).isEmpty();
        assertThat(store.revisions()).isEqualTo(new TreeMap<>(Map.of(SCHOOL, 3L, "school-02", 2L)));
        assertThat(Set.copyOf(store.revisions().keySet())).containsExactlyInAnyOrder(SCHOOL, "school-02");
    }

    /**
     * Verifies that two replicas importing the same school at once take turns: no error, and the roster that
     * stands is one of the two imports whole, never a mix of both.
     */
    @Test
    void twoReplicasImportingAtOnceLeaveOneWholeRoster() throws Exception {
        Roster full = RosterCsv.read(RosterExamples.csv(), null);
        Roster half = new Roster(full.timetable(), full.learners().subList(0, 100),
                full.cards().stream().filter(c -> full.learners().subList(0, 100).stream().anyMatch(l -> l.id().equals(c.learner())))
                        .toList());
        List<JdbcRosterStore> replicas = List.of(new JdbcRosterStore(db), new JdbcRosterStore(db));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JdbcRosterStore replica = replicas.get(i);
                Roster roster = i == 0 ? full : half;
                runs.add(pool.submit(() -> {
                    for (int n = 0; n < 5; n++) {
                        replica.replace(SCHOOL, roster, "csv", T0 + n);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> run : runs) {
                run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Roster back = store.roster(SCHOOL).orElseThrow();
        assertThat(back.learners().size()).isIn(full.learners().size(), half.learners().size());
        // after the half import, the full one's revoked cards stay revoked
        Set<String> halfUids = new java.util.HashSet<>(half.cards().stream().map(Card::uid).toList());
        long carried = full.cards().stream().filter(c -> c.revoked() && !halfUids.contains(c.uid())).count();
        assertThat(back.cards()).hasSize(back.learners().size() == 100 ? half.cards().size() + (int) carried : full.cards().size());
        assertThat(store.imported(SCHOOL).orElseThrow().revision()).isEqualTo(10);
    }
}

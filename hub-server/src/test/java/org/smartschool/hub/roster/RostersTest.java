package org.smartschool.hub.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.config.RosterConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.state.JdbcRosterStore;
import org.smartschool.hub.state.StateDatabase;
import org.smartschool.hub.testsupport.ManualClock;

/** Card keys rotate by age, and a school's attendance is rebuilt only when its roster or the date changed. */
class RostersTest {
    /** 2026-12-03 06:00 in Ho Chi Minh City. */
    private static final long T0 = 1_796_252_400_000L;

    @TempDir
    Path dir;
    private StateDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private Rosters rosters(ManualClock clock, String rotation) {
        db = StateDatabase.open(StateConfig.sqlite(dir.resolve("hub-state.db")));
        return new Rosters(new JdbcRosterStore(db), new RosterConfig("Asia/Ho_Chi_Minh", rotation, 10, 20, 60, 30), clock,
                new SecureRandom());
    }

    /**
     * Verifies that the first import makes the school a key, that it is kept until it is older than
     * roster.cardKeyRotation, and that the rotated key comes with every card hash recomputed in the next section.
     */
    @Test
    @SuppressWarnings("unchecked")
    void rotatesAKeyOnceItIsOlderThanTheRotationPeriod() {
        ManualClock clock = new ManualClock(T0);
        Rosters rosters = rosters(clock, "P90D");
        rosters.importFiles("school-01", Rosters.Format.CSV, RosterExamples.csv(), null);
        assertThat(rosters.today()).isEqualTo(LocalDate.of(2026, 12, 3));
        Map<String, Object> first = rosters.attendance().get("school-01").section();
        String firstKey = ((Map<String, String>) first.get("cardKey")).get("id");

        clock.advance(Duration.ofDays(89).toMillis());
        assertThat(rosters.rotateDueKeys()).isEmpty();
        clock.advance(Duration.ofDays(2).toMillis());
        assertThat(rosters.rotateDueKeys()).containsExactly("school-01");
        assertThat(rosters.rotateDueKeys()).isEmpty();

        Map<String, Object> rotated = rosters.attendance().get("school-01").section();
        assertThat(((Map<String, String>) rotated.get("cardKey")).get("id")).isNotEqualTo(firstKey);
        Set<String> before = hashes(first);
        assertThat(hashes(rotated)).hasSameSizeAs(before).doesNotContainAnyElementsOf(before);
    }

    /** Verifies that P0D never rotates by age, while the API's rotation still does. */
    @Test
    void aZeroPeriodRotatesOnlyOnRequest() {
        ManualClock clock = new ManualClock(T0);
        Rosters rosters = rosters(clock, "P0D");
        rosters.importFiles("school-01", Rosters.Format.CSV, RosterExamples.csv(), null);
        String first = rosters.store().cardKey("school-01").orElseThrow().id();
        clock.advance(Duration.ofDays(400).toMillis());

        assertThat(rosters.rotateDueKeys()).isEmpty();
        assertThat(rosters.rotateKey("school-01").id()).isNotEqualTo(first);
    }

    /** Verifies that an unchanged roster gives the same section object again, and a new day one without yesterday's excuses. */
    @Test
    @SuppressWarnings("unchecked")
    void rebuildsOnlyWhatChanged() {
        ManualClock clock = new ManualClock(T0);
        Rosters rosters = rosters(clock, "P90D");
        rosters.importFiles("school-01", Rosters.Format.CSV, RosterExamples.csv(), null);
        rosters.store().addExcuse("school-01", new Excuse("079214046885", LocalDate.of(2026, 12, 3), "morning", null), T0);
        Map<String, Object> section = rosters.attendance().get("school-01").section();
        assertThat((List<Object>) section.get("excuses")).hasSize(1);

        assertThat(rosters.attendance().get("school-01").section()).isSameAs(section);
        clock.advance(Duration.ofDays(2).toMillis());
        assertThat((List<Object>) rosters.attendance().get("school-01").section().get("excuses")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> hashes(Map<String, Object> section) {
        Set<String> out = new HashSet<>((List<String>) section.get("revokedCards"));
        ((List<Map<String, Object>>) section.get("learners")).forEach(l -> out.addAll((List<String>) l.get("cards")));
        return out;
    }
}

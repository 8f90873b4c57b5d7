package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.Severity;
import org.smartschool.hub.alarm.AlarmQuery;
import org.smartschool.hub.alarm.AlarmRecord;
import org.smartschool.hub.alarm.AlarmStatus;
import org.smartschool.hub.alarm.HubRuleAlarms;
import org.smartschool.hub.alarm.HubRules;
import org.smartschool.hub.alarm.RuleVerdict;
import org.smartschool.hub.config.HubRulesConfig;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.testsupport.ManualClock;

/**
 * The hub rules' verdicts applied to a real alarm store, and taken back by a new HubRules (a hub restart); run on
 * SQLite and PostgreSQL.
 */
abstract class HubRuleAlarmsContract {
    private static final long T0 = 1_800_000_000_000L;

    private StateDatabase db;
    private JdbcAlarmStore store;

    /** A state database with no tables yet. */
    abstract StateConfig emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = StateDatabase.open(emptyDatabase());
        store = new JdbcAlarmStore(db, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static RuleVerdict verdict(RuleVerdict.Kind kind, long at) {
        return new RuleVerdict(kind, "school-security", "s1", "school", "s1", Severity.MAJOR, at, 20, "detail");
    }

    private List<AlarmRecord> all() {
        return store.alarms(new AlarmQuery("s1", null, null, null, null, 10));
    }

    /** Verifies that a raise while one is open and a clear without an open alarm change nothing. */
    @Test
    void raisesOnlyWhenNoneIsOpenAndClearsOnlyAnOpenOne() {
        assertThat(HubRuleAlarms.transition(verdict(RuleVerdict.Kind.CLEAR, T0), store::open)).isEmpty();
        HubRuleAlarms.transition(verdict(RuleVerdict.Kind.RAISE, T0), store::open).ifPresent(store::apply);
        assertThat(HubRuleAlarms.transition(verdict(RuleVerdict.Kind.RAISE, T0 + 1), store::open)).isEmpty();
        HubRuleAlarms.transition(verdict(RuleVerdict.Kind.CLEAR, T0 + 60_000), store::open).ifPresent(store::apply);
        assertThat(all()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlarmStatus.CLEARED);
            assertThat(a.raisedAt()).isEqualTo(T0);
            assertThat(a.clearedAt()).isEqualTo(T0 + 60_000);
        });
        HubRuleAlarms.transition(verdict(RuleVerdict.Kind.RAISE, T0 + 120_000), store::open).ifPresent(store::apply);
        assertThat(all()).as("raised again after its clear: a new alarm").hasSize(2);
    }

    /**
     * Verifies that refused topics raise school-security through HubRules, and that a HubRules started later (a hub
     * restart) takes the open alarm back and clears it after a quiet window from its start.
     */
    @Test
    void anOpenAlarmIsTakenBackAfterARestartAndClearsWhenQuiet() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (HubRules rules = new HubRules(HubRulesConfig.DEFAULT, store, (s, d) -> 10_000, List::of, clock,
                new SimpleMeterRegistry())) {
            rules.restore();
            for (int i = 0; i < 20; i++) {
                rules.topicRefused("gw-1", "s1");
            }
            rules.flush().get(10, TimeUnit.SECONDS);
        }
        assertThat(store.alarms(new AlarmQuery("s1", AlarmStatus.ACTIVE, null, null, null, 10))).hasSize(1);

        clock.advance(3_600_000);
        try (HubRules restarted = new HubRules(HubRulesConfig.DEFAULT, store, (s, d) -> 10_000, List::of, clock,
                new SimpleMeterRegistry())) {
            restarted.restore();
            restarted.flush().get(10, TimeUnit.SECONDS);
            clock.advance(29 * 60_000);
            assertThat(restarted.check().get(10, TimeUnit.SECONDS)).isEmpty();
            clock.advance(60_000);
            assertThat(restarted.check().get(10, TimeUnit.SECONDS)).extracting(RuleVerdict::kind)
                    .containsExactly(RuleVerdict.Kind.CLEAR);
        }
        assertThat(all()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlarmStatus.CLEARED);
            assertThat(a.clearedAt()).isEqualTo(T0 + 3_600_000 + 30 * 60_000);
        });
    }
}

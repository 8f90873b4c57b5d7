package org.smartschool.hub.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.attendance.AttendanceCategory;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.attendance.AttendanceCounts;
import org.smartschool.hub.attendance.AttendanceDeadLetter;
import org.smartschool.hub.attendance.AttendanceEvent;
import org.smartschool.hub.attendance.AttendanceLedger;
import org.smartschool.hub.attendance.DailyAttendance;
import org.smartschool.hub.config.StateConfig;
import org.smartschool.hub.forward.WebhookSecret;
import org.smartschool.hub.forward.WebhookSubscription;
import org.smartschool.hub.store.BatchOutcome;

/**
 * The attendance ledger (migration V7) on a real state database: an event id is taken once, a correction
 * moves one count and a replay none, an older decision arriving late does not undo a newer one, and the
 * API's questions (a day's counts and records, a learner's history, the district's daily rates) are
 * answered from it. Forwarding (webhook deliveries) happens in the same transaction, once per event id.
 */
@Timeout(60)
abstract class AttendanceLedgerContract {
    static final String SCHOOL = "thcs-nguyen-du";
    static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    static final String A = "079201001234";
    static final String B = "079201005678";
    static final String C = "079201009012";
    static final long T = 1_796_260_000_000L;

    @TempDir
    Path dir;
    StateDatabase db;
    JdbcAttendanceLedger ledger;
    final AtomicInteger wakes = new AtomicInteger();

    abstract StateConfig emptyDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = StateDatabase.open(emptyDatabase());
        ledger = new JdbcAttendanceLedger(db, school -> false, Clock.systemUTC(), wakes::incrementAndGet);
        new JdbcWebhookStore(db).putSubscription(new WebhookSubscription("sms", URI.create("http://127.0.0.1:9/sms"), null,
                Set.of("attendance.*"), null, List.of(WebhookSecret.parse(WebhookSecret.generate(new SecureRandom()))), null, 1L));
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    static AttendanceEvent event(String id, String learner, AttendanceCategory category, long at) {
        return new AttendanceEvent(id, SCHOOL, learner, "6a", DAY, "morning", null, category, at);
    }

    private long webhookDeliveries() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM webhook_delivery")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Verifies that the batch a gateway's decisions came in is recorded in their transaction, in the table the hub's
     * state consults for every batch: new the first time, a replay after that (also for the hub's state itself), a new
     * batch id new even when all its decisions are replays, and the gateway seen at the batch's arrival.
     */
    @Test
    void aBatchIdIsRecordedInTheTransactionOfItsDecisions() throws Exception {
        AttendanceEvent presentA = event("att-a-present", A, AttendanceCategory.PRESENT, T);
        Batch first = new Batch("gw-1-000001", "gw-1", SCHOOL, List.of(), List.of());
        long before = System.currentTimeMillis();
        AttendanceLedger.Recorded taken = ledger.record(List.of(presentA), first);
        assertThat(taken.batch()).isEqualTo(BatchOutcome.STORED);
        assertThat(taken.newEvents()).isEqualTo(1);

        assertThat(ledger.record(List.of(presentA), first).batch()).as("the same batch again").isEqualTo(BatchOutcome.REPLAYED);
        JdbcHubState state = new JdbcHubState(db, Clock.systemUTC(), JdbcHubState.BATCH_ID_RETENTION, false, false);
        assertThat(state.recordBatch(first)).as("the hub's state sees the ledger's record").isEqualTo(BatchOutcome.REPLAYED);
        AttendanceLedger.Recorded resent = ledger.record(List.of(presentA), new Batch("gw-1-000002", "gw-1", SCHOOL, List.of(), List.of()));
        assertThat(resent.batch()).as("a new batch of replayed decisions").isEqualTo(BatchOutcome.STORED);
        assertThat(resent.replays()).isEqualTo(1);
        assertThat(ledger.record(List.of(presentA)).batch()).as("no batch given").isNull();

        assertThat(state.gatewayStatuses()).singleElement().satisfies(s -> {
            assertThat(s.gateway()).isEqualTo("gw-1");
            assertThat(s.school()).isEqualTo(SCHOOL);
            assertThat(s.lastSeen()).isBetween(before, System.currentTimeMillis());
        });
    }

    /** Verifies that a correction (absent, then late: a new event of the same slot) moves one count, and a replay moves none and queues nothing. */
    @Test
    void aCorrectionMovesOneCountAndAReplayNone() throws Exception {
        AttendanceEvent absentA = event("att-a-absent", A, AttendanceCategory.UNEXCUSED_ABSENCE, T);
        AttendanceLedger.Recorded first = ledger.record(List.of(absentA,
                event("att-b-absent", B, AttendanceCategory.UNEXCUSED_ABSENCE, T),
                event("att-c-present", C, AttendanceCategory.PRESENT, T - 600_000)));
        AttendanceCounts morning = new AttendanceCounts(SCHOOL, DAY, "6a", "morning", null, 1, 0, 0, 2);
        assertThat(first).isEqualTo(new AttendanceLedger.Recorded(List.of(morning), 3, 0));
        assertThat(webhookDeliveries()).isEqualTo(3);

        AttendanceLedger.Recorded replay = ledger.record(List.of(absentA));
        assertThat(replay).isEqualTo(new AttendanceLedger.Recorded(List.of(morning), 0, 1));
        assertThat(webhookDeliveries()).as("a replay is forwarded never again").isEqualTo(3);

        AttendanceLedger.Recorded late = ledger.record(List.of(event("att-a-late", A, AttendanceCategory.LATE, T + 300_000)));
        assertThat(late.counts()).containsExactly(new AttendanceCounts(SCHOOL, DAY, "6a", "morning", null, 1, 1, 0, 1));
        assertThat(webhookDeliveries()).isEqualTo(4);
        assertThat(ledger.counts(SCHOOL, DAY)).containsExactly(new AttendanceCounts(SCHOOL, DAY, "6a", "morning", null, 1, 1, 0, 1));
        assertThat(ledger.records(SCHOOL, DAY)).extracting(AttendanceEvent::learnerId, AttendanceEvent::category).containsExactly(
                org.assertj.core.groups.Tuple.tuple(A, AttendanceCategory.LATE),
                org.assertj.core.groups.Tuple.tuple(B, AttendanceCategory.UNEXCUSED_ABSENCE),
                org.assertj.core.groups.Tuple.tuple(C, AttendanceCategory.PRESENT));
        assertThat(wakes.get()).as("the dispatchers are woken when something was queued, not for a replay").isEqualTo(2);
    }

    /** Verifies that an older decision arriving after a newer one of the same slot is forwarded but leaves the count as the newer one made it. */
    @Test
    void anOlderDecisionArrivingLateDoesNotUndoANewerOne() throws Exception {
        ledger.record(List.of(event("att-a-late", A, AttendanceCategory.LATE, T + 300_000)));
        AttendanceLedger.Recorded older = ledger.record(List.of(event("att-a-absent", A, AttendanceCategory.UNEXCUSED_ABSENCE, T)));

        assertThat(older).isEqualTo(new AttendanceLedger.Recorded(
                List.of(new AttendanceCounts(SCHOOL, DAY, "6a", "morning", null, 0, 1, 0, 0)), 1, 0));
        assertThat(webhookDeliveries()).isEqualTo(2);
        assertThat(ledger.records(SCHOOL, DAY)).extracting(AttendanceEvent::eventId).containsExactly("att-a-late");
    }

    /** Verifies that period-level and session-level attendance are counted apart, and a learner's history and the daily rates come from the ledger. */
    @Test
    void historyAndDailyRatesComeFromTheLedger() {
        LocalDate next = DAY.plusDays(1);
        ledger.record(List.of(
                event("d1-a", A, AttendanceCategory.PRESENT, T),
                event("d1-b", B, AttendanceCategory.EXCUSED_ABSENCE, T),
                new AttendanceEvent("d1-a-chem", SCHOOL, A, "10a1-chem", DAY, "morning", "p3", AttendanceCategory.LATE, T + 1),
                new AttendanceEvent("d2-a", SCHOOL, A, "6a", next, "morning", null, AttendanceCategory.UNEXCUSED_ABSENCE, T + 86_400_000),
                new AttendanceEvent("other-a", "th-le-loi", A, "6a", DAY, "morning", null, AttendanceCategory.PRESENT, T)));

        assertThat(ledger.counts(SCHOOL, DAY)).containsExactly(
                new AttendanceCounts(SCHOOL, DAY, "10a1-chem", "morning", "p3", 0, 1, 0, 0),
                new AttendanceCounts(SCHOOL, DAY, "6a", "morning", null, 1, 0, 1, 0));
        assertThat(ledger.history(SCHOOL, A, DAY, next)).extracting(AttendanceEvent::eventId)
                .containsExactly("d1-a", "d1-a-chem", "d2-a");
        assertThat(ledger.history(SCHOOL, A, next, next)).extracting(AttendanceEvent::eventId).containsExactly("d2-a");
        assertThat(ledger.daily(DAY, next)).containsExactly(
                new DailyAttendance("th-le-loi", DAY, 1, 0, 0, 0),
                new DailyAttendance(SCHOOL, DAY, 1, 1, 1, 0),
                new DailyAttendance(SCHOOL, next, 0, 0, 0, 1));
        assertThat(ledger.daily(DAY, DAY).get(1).rate()).isEqualTo(2.0 / 3);
        assertThat(ledger.hasSchool(SCHOOL)).isTrue();
        assertThat(ledger.hasSchool("th-khac")).isFalse();
    }

    /** Verifies that an attendance event that could not be read is kept once per gateway, batch and event id, newest first. */
    @Test
    void deadLettersAreKeptOncePerBatchAndEvent() {
        AttendanceDeadLetter letter = new AttendanceDeadLetter(0, SCHOOL, "gw-1", "gw-1-1-5", "att-bad", "unknown category 'x'",
                "{\"category\":\"x\"}", T);
        ledger.deadLetter(letter);
        ledger.deadLetter(letter);
        ledger.deadLetter(new AttendanceDeadLetter(0, SCHOOL, "gw-1", "gw-1-6-9", "att-bad-2", "no date", "{}", T + 1));

        List<AttendanceDeadLetter> letters = ledger.deadLetters(SCHOOL, 10);
        assertThat(letters).extracting(AttendanceDeadLetter::eventId).containsExactly("att-bad-2", "att-bad");
        assertThat(letters.get(1).reason()).isEqualTo("unknown category 'x'");
        assertThat(letters.get(1).attributesJson()).isEqualTo("{\"category\":\"x\"}");
        assertThat(ledger.deadLetters("th-le-loi", 10)).isEmpty();
    }
}

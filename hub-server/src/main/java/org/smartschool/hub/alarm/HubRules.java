package org.smartschool.hub.alarm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.hub.config.HubRulesConfig;
import org.smartschool.hub.endpoint.SecuritySignals;
import org.smartschool.hub.fleet.GatewayActivity;
import org.smartschool.hub.fleet.GatewayLiveness;
import org.smartschool.hub.fleet.HealthSummary;

/**
 * The hub's own rules on what only the centre sees ({@link BacklogRule}, {@link CompletenessRule},
 * {@link AuthFailureRule}, {@link SchoolSecurityRule}), fed by the gateway endpoint (health reports, stored batches,
 * refused credentials and topics) and a periodic {@link #check()}, and their verdicts applied to the alarm store.
 *
 * <p>The rules decide in memory, under one lock (data completeness, decided only by checks, under its own), and hand
 * their verdicts to one writer thread in that order, so a raise and its clear reach the store in the order they were
 * decided; callers on the event loop never wait for the
 * database. A hub that restarts takes the rules' open alarms back from the store ({@link #restore()}): each rule then
 * holds them as raised and clears them as it would have (the next health report, the next check, a quiet window
 * from the restart).
 */
public final class HubRules implements GatewayActivity, SecuritySignals, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubRules.class);
    public static final List<String> RULES = List.of(BacklogRule.RULE, CompletenessRule.RULE, AuthFailureRule.RULE,
            SchoolSecurityRule.RULE);
    /** Open alarms taken back at start at most, per state. */
    private static final int RESTORE_LIMIT = 10_000;

    private final BacklogRule backlog;
    private final CompletenessRule completeness;
    private final AuthFailureRule auth;
    private final SchoolSecurityRule security;
    private final AlarmStore alarms;
    private final CompletenessRule.Intervals intervals;
    private final Supplier<List<GatewayLiveness>> gateways;
    private final Clock clock;
    private final ExecutorService writer;
    private final Map<String, Counter> transitions = new HashMap<>();
    private final Counter authFailures;
    private final Counter topicsRefused;
    private final Counter failures;
    private final Object completenessOrder = new Object();

    /**
     * @param intervals a device's expected reading interval (fleet liveness)
     * @param gateways  the gateways' liveness: schools with one offline, silent or catching up on a backlog are not
     *                  judged for completeness
     */
    public HubRules(HubRulesConfig config, AlarmStore alarms, CompletenessRule.Intervals intervals,
                    Supplier<List<GatewayLiveness>> gateways, Clock clock, MeterRegistry registry) {
        this.backlog = new BacklogRule(config);
        this.completeness = new CompletenessRule(config);
        this.auth = new AuthFailureRule(config);
        this.security = new SchoolSecurityRule(config);
        this.alarms = alarms;
        this.intervals = intervals;
        this.gateways = gateways;
        this.clock = clock;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hub-rule-alarms");
            t.setDaemon(true);
            return t;
        });
        for (String rule : RULES) {
            for (RuleVerdict.Kind kind : RuleVerdict.Kind.values()) {
                transitions.put(rule + "/" + kind, Counter.builder("hub.rule.alarms").tag("rule", rule)
                        .tag("transition", kind == RuleVerdict.Kind.RAISE ? "raised" : "cleared")
                        .description("Alarms the hub's own rules raised and cleared").register(registry));
            }
        }
        Gauge.builder("hub.rule.alarms.open", backlog, BacklogRule::raised).tag("rule", BacklogRule.RULE)
                .description("Sources whose hub-rule alarm is raised now").register(registry);
        Gauge.builder("hub.rule.alarms.open", completeness, CompletenessRule::raised).tag("rule", CompletenessRule.RULE)
                .description("Sources whose hub-rule alarm is raised now").register(registry);
        Gauge.builder("hub.rule.alarms.open", auth, AuthFailureRule::raised).tag("rule", AuthFailureRule.RULE)
                .description("Sources whose hub-rule alarm is raised now").register(registry);
        Gauge.builder("hub.rule.alarms.open", security, SchoolSecurityRule::raised).tag("rule", SchoolSecurityRule.RULE)
                .description("Sources whose hub-rule alarm is raised now").register(registry);
        Gauge.builder("hub.rule.auth.ids.tracked", auth, AuthFailureRule::tracked)
                .description("Claimed gateway ids whose refused CONNECTs are counted one by one").register(registry);
        Gauge.builder("hub.rule.completeness.devices", completeness, CompletenessRule::devices)
                .description("Devices whose stored readings the data-completeness rule counts").register(registry);
        authFailures = Counter.builder("hub.rule.signals").tag("signal", "auth_failure")
                .description("Security signals the hub's rules counted").register(registry);
        topicsRefused = Counter.builder("hub.rule.signals").tag("signal", "topic_refused")
                .description("Security signals the hub's rules counted").register(registry);
        failures = Counter.builder("hub.rule.alarms.failed")
                .description("Hub-rule verdicts that could not be stored as alarm transitions").register(registry);
    }

    /**
     * Takes back the rules' open alarms from the store, on the writer thread (first in its queue); quiet windows
     * count from now, the hub's start.
     */
    public void restore() {
        long now = clock.millis();
        writer.execute(() -> {
            int restored = 0;
            try {
                for (AlarmStatus status : List.of(AlarmStatus.ACTIVE, AlarmStatus.ACKNOWLEDGED)) {
                    for (AlarmRecord a : alarms.alarms(new AlarmQuery(null, status, null, null, null, RESTORE_LIMIT))) {
                        if (RULES.contains(a.rule())) {
                            restoreRaised(a, now);
                            restored++;
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot take the hub rules' open alarms back from the state database: {}", e.toString());
            }
            if (restored > 0) {
                LOG.info("{} open alarms of the hub's own rules taken back", restored);
            }
        });
    }

    private synchronized void restoreRaised(AlarmRecord a, long now) {
        RuleSource source = new RuleSource(a.school(), a.room(), a.device());
        switch (a.rule()) {
            case BacklogRule.RULE -> backlog.restoreRaised(source);
            case CompletenessRule.RULE -> {
                synchronized (completenessOrder) {
                    completeness.restoreRaised(source);
                }
            }
            case AuthFailureRule.RULE -> auth.restoreRaised(source, now);
            case SchoolSecurityRule.RULE -> security.restoreRaised(source, now);
            default -> throw new IllegalArgumentException("not a hub rule: " + a.rule());
        }
    }

    @Override
    public void healthRecorded(String gateway, String school, String healthJson) {
        HealthSignals health = HealthSignals.of(healthJson);
        synchronized (this) {
            long now = clock.millis();
            List<RuleVerdict> verdicts = new ArrayList<>(backlog.report(gateway, school, health, now));
            verdicts.addAll(security.report(gateway, school, health, now));
            hand(verdicts);
        }
    }

    @Override
    public void batchStored(Batch batch) {
        completeness.stored(batch.school(), CompletenessRule.distinctTimes(batch), clock.millis());
    }

    @Override
    public synchronized void authenticationFailed(String claimedGateway, String claimedSchool) {
        authFailures.increment();
        hand(auth.failed(claimedGateway, claimedSchool, clock.millis()));
    }

    @Override
    public synchronized void topicRefused(String gateway, String school) {
        topicsRefused.increment();
        hand(security.topicRefused(school, clock.millis()));
    }

    /**
     * Judges data completeness and clears what has been quiet long enough.
     *
     * @return the verdicts, once they (and every verdict handed over before them) are applied to the store
     */
    public CompletableFuture<List<RuleVerdict>> check() {
        Set<String> unreachable = new HashSet<>();
        for (GatewayLiveness g : gateways.get()) {
            if (!g.online() || g.silentSince() != null || catchingUp(g.health())) {
                unreachable.add(g.school());
            }
        }
        List<RuleVerdict> verdicts = new ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            verdicts.addAll(auth.check(now));
            verdicts.addAll(security.check(now));
            hand(verdicts);
        }
        // only checks decide completeness: a lock of its own keeps the event loop's calls above from waiting for
        // a pass over every device, and still hands its verdicts over in the order they were decided
        synchronized (completenessOrder) {
            List<RuleVerdict> judged = completeness.check(clock.millis(), intervals,
                    school -> !unreachable.contains(school));
            hand(judged);
            verdicts.addAll(judged);
        }
        return CompletableFuture.supplyAsync(() -> verdicts, writer);
    }

    /**
     * A gateway whose last report shows records older than the completeness window's lag is still delivering what
     * the window misses (a replay after an outage); a backlog that grows is {@code gateway-backlog}'s alarm.
     */
    private static boolean catchingUp(HealthSummary health) {
        return health != null && health.reportTime() != null && health.outboxOldestMillis() != null
                && health.reportTime() - health.outboxOldestMillis() > CompletenessRule.LAG_MILLIS;
    }

    /** Completes once every verdict handed over so far is applied (or failed to be). */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.runAsync(() -> { }, writer);
    }

    /** Called under the lock: the writer's queue keeps the order of the verdicts. */
    private void hand(List<RuleVerdict> verdicts) {
        for (RuleVerdict v : verdicts) {
            try {
                writer.execute(() -> apply(v));
            } catch (RejectedExecutionException e) {
                failures.increment();
                LOG.debug("[school: {}] {} verdict of {} not applied: the hub is stopping", v.school(), v.kind(), v.rule());
            }
        }
    }

    private void apply(RuleVerdict v) {
        try {
            Optional<AlarmTransition> t = HubRuleAlarms.transition(v, alarms::open);
            if (t.isPresent() && alarms.apply(t.get()).isPresent()) {
                transitions.get(v.rule() + "/" + v.kind()).increment();
                LOG.info("[school: {}] [alarm: {}] {} {}: {}", v.school(), t.get().alarmId(), v.rule(),
                        t.get().kind().id(), v.detail());
            }
        } catch (RuntimeException e) {
            failures.increment();
            LOG.warn("[school: {}] {} alarm of {}/{} could not be stored: {}", v.school(), v.rule(), v.room(), v.device(),
                    e.toString());
        }
    }

    /** Applies what is queued, then stops the writer. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("hub rule writer did not finish within 10 s; {} verdicts not applied", writer.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

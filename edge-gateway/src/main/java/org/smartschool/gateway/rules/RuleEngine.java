package org.smartschool.gateway.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * A school's rules at work on its gateway, also while the link to the hub is down: readings and
 * detector events in, alarm transitions out. One {@link RuleTrack} per rule and sensor series,
 * created at the series' first reading; each reading costs a map lookup and its rules' fixed work.
 *
 * <p>Not thread-safe: the gateway feeds it from one thread, in the order records enter the outbox.
 */
public final class RuleEngine {
    private LessonHours lessons;
    private RuleBook book;
    private final Map<String, RuleTrack> tracks = new HashMap<>();
    private final AlertAlarms alerts = new AlertAlarms();
    private final StateChanges changes = new StateChanges();
    /** Since {@link #mark()}: each changed track's state before its first change (null: created since). */
    private Map<String, RuleTrack.State> undo;
    private RuleBook bookBefore;
    private LessonHours lessonsBefore;

    public RuleEngine(RuleBook book, LessonHours lessons) {
        this.book = book;
        this.lessons = lessons;
    }

    public List<AlarmTransition> onReading(Reading reading) {
        List<Rule> rules = book.rulesFor(reading.room(), reading.device(), reading.quantity());
        if (rules.isEmpty()) {
            return List.of();
        }
        List<AlarmTransition> out = new ArrayList<>(1);
        boolean inLessons = lessons.contains(reading.timestamp());
        for (Rule rule : rules) {
            track(reading.school(), reading.room(), reading.device(), rule)
                    .onReading(reading.value(), reading.timestamp(), inLessons || !rule.lessonsOnly(), out);
        }
        return out;
    }

    /** Detector alerts raise and clear alarms of their own; other events raise none. */
    public List<AlarmTransition> onEvent(DeviceEvent event) {
        List<AlarmTransition> out = new ArrayList<>(0);
        alerts.onEvent(event, out);
        return out;
    }

    /** Whether an event only repeats its device's last reported state ("only changes"). */
    public boolean isRepeatedState(DeviceEvent event) {
        return changes.isRepeat(event);
    }

    /** Judges the silence of every series watched for it; call it every few seconds. */
    public List<AlarmTransition> onClock(long now) {
        List<AlarmTransition> out = new ArrayList<>(0);
        for (Map.Entry<String, RuleTrack> entry : tracks.entrySet()) {
            RuleTrack track = entry.getValue();
            if (track.silenceDue(now)) {
                remember(entry.getKey(), track);
                track.onClock(now, out);
            }
        }
        return out;
    }

    /**
     * New rules from the hub's desired configuration, applied without a restart: series keep their
     * state under a rule that stays; an alarm whose rule is gone or no longer applies is cleared.
     */
    public List<AlarmTransition> replaceRules(RuleBook newBook, long now) {
        return replaceRules(newBook, lessons, now);
    }

    /** Like {@link #replaceRules(RuleBook, long)}, with new lesson hours too. */
    public List<AlarmTransition> replaceRules(RuleBook newBook, LessonHours newLessons, long now) {
        List<AlarmTransition> out = new ArrayList<>();
        Map<String, RuleTrack> kept = new HashMap<>();
        for (Iterator<Map.Entry<String, RuleTrack>> it = tracks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, RuleTrack> entry = it.next();
            RuleTrack track = entry.getValue();
            remember(entry.getKey(), track);
            RuleTrack.State state = track.state();
            Rule current = findRule(newBook, state, track.rule().id(), track.rule().quantity());
            if (current == null) {
                track.retire(now, "rule " + track.rule().id() + " no longer applies", out);
            } else if (current.equals(track.rule())) {
                kept.put(entry.getKey(), track);
            } else {
                RuleTrack replaced = new RuleTrack(current, state.school(), state.room(), state.device());
                replaced.restore(state);
                kept.put(entry.getKey(), replaced);
            }
        }
        tracks.clear();
        tracks.putAll(kept);
        book = newBook;
        lessons = newLessons;
        return out;
    }

    private static Rule findRule(RuleBook newBook, RuleTrack.State state, String ruleId, Quantity quantity) {
        for (Rule rule : newBook.rulesFor(state.room(), state.device(), quantity)) {
            if (rule.id().equals(ruleId)) {
                return rule;
            }
        }
        return null;
    }

    /** How many rule tracks (rule x sensor series) the engine holds: the size of its state. */
    public int trackCount() {
        return tracks.size();
    }

    public RuleState snapshot() {
        List<RuleTrack.State> states = new ArrayList<>(tracks.size());
        for (RuleTrack track : tracks.values()) {
            states.add(track.state());
        }
        return new RuleState(states, alerts.state(), changes.state());
    }

    /** Goes on from a snapshot; tracks of rules that no longer exist are dropped (their alarms with them). */
    public void restore(RuleState state) {
        restoreTracks(state);
    }

    private List<String> restoreTracks(RuleState state) {
        List<String> dropped = new ArrayList<>();
        tracks.clear();
        for (RuleTrack.State s : state.tracks()) {
            Rule rule = book.quantityOf(s.rule()).map(q -> findRule(book, s, s.rule(), q)).orElse(null);
            if (rule != null) {
                RuleTrack track = new RuleTrack(rule, s.school(), s.room(), s.device());
                track.restore(s);
                tracks.put(key(s.school(), s.room(), s.device(), rule.id()), track);
            } else {
                dropped.add(RuleStateCodec.TRACK + key(s.school(), s.room(), s.device(), s.rule()));
            }
        }
        alerts.restore(state.alerts());
        changes.restore(state.lastStates());
        return dropped;
    }

    /**
     * Goes on from the rows {@link #changedStateSinceMark()} wrote.
     *
     * @return the keys of rows no longer needed: unreadable, or of tracks whose rule is gone
     */
    public List<String> restoreEncoded(Map<String, byte[]> rows) {
        List<String> stale = new ArrayList<>();
        RuleState state = RuleStateCodec.decode(rows, stale);
        stale.addAll(restoreTracks(state));
        return stale;
    }

    /** How many alarms are open now: rule alarms and detector alarms. Walks every track: not for each reading. */
    public int openAlarmCount() {
        int n = alerts.openCount();
        for (RuleTrack track : tracks.values()) {
            if (track.hasOpenAlarm()) {
                n++;
            }
        }
        return n;
    }

    private void remember(String key, RuleTrack track) {
        if (undo != null && !undo.containsKey(key)) {
            undo.put(key, track == null ? null : track.state());
        }
    }

    private RuleTrack track(String school, String room, String device, Rule rule) {
        String key = key(school, room, device, rule.id());
        RuleTrack track = tracks.get(key);
        remember(key, track);
        if (track == null) {
            track = new RuleTrack(rule, school, room, device);
            tracks.put(key, track);
        }
        return track;
    }

    /**
     * Starts remembering changes, so that {@link #rollback()} can undo them: the records judged from
     * here on may yet fail to reach the outbox (disk full), and then the broker delivers them again.
     */
    public void mark() {
        undo = new HashMap<>();
        bookBefore = book;
        lessonsBefore = lessons;
        alerts.mark();
        changes.mark();
    }

    /** Forgets the changes since {@link #mark()}: their records and transitions were not stored. */
    public void rollback() {
        if (undo == null) {
            throw new IllegalStateException("rollback without mark");
        }
        book = bookBefore;
        lessons = lessonsBefore;
        undo.forEach((key, before) -> {
            if (before == null) {
                tracks.remove(key);
            } else {
                // the rule as it was: a track replaced or retired since mark() has gone or changed its rule
                Rule rule = book.quantityOf(before.rule()).map(q -> findRule(book, before, before.rule(), q)).orElse(null);
                if (rule == null && tracks.get(key) != null) {
                    rule = tracks.get(key).rule();
                }
                if (rule == null) {
                    tracks.remove(key);
                    return;
                }
                RuleTrack track = new RuleTrack(rule, before.school(), before.room(), before.device());
                track.restore(before);
                tracks.put(key, track);
            }
        });
        alerts.rollback();
        changes.rollback();
        undo = null;
        bookBefore = null;
        lessonsBefore = null;
    }

    /** Keeps the changes since {@link #mark()}: their records are in the outbox. */
    public void commit() {
        undo = null;
        bookBefore = null;
        lessonsBefore = null;
        alerts.commit();
        changes.commit();
    }

    /**
     * What changed since {@link #mark()}, encoded for the outbox's {@code rule_state} table
     * ({@link RuleStateCodec}): each changed track, detector alarm and device state under its key,
     * null for one that is gone. Costs what changed, not what the engine holds.
     */
    public Map<String, byte[]> changedStateSinceMark() {
        if (undo == null) {
            throw new IllegalStateException("changes asked for without mark");
        }
        Map<String, byte[]> out = new HashMap<>();
        for (String key : undo.keySet()) {
            RuleTrack track = tracks.get(key);
            out.put(RuleStateCodec.TRACK + key, track == null ? null : RuleStateCodec.encodeTrack(track.state()));
        }
        alerts.changedSinceMark().forEach((key, open) ->
                out.put(RuleStateCodec.ALERT + key, open == null ? null : RuleStateCodec.encodeAlert(open)));
        changes.changedSinceMark().forEach((key, state) ->
                out.put(RuleStateCodec.LAST_STATE + key, state == null ? null : RuleStateCodec.encodeText(state)));
        return out;
    }

    static String key(String school, String room, String device, String rule) {
        return school + '/' + room + '/' + device + '/' + rule;
    }
}

package org.smartschool.hub.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.smartschool.hub.roster.Card;
import org.smartschool.hub.roster.CardKey;
import org.smartschool.hub.roster.Excuse;
import org.smartschool.hub.roster.Learner;
import org.smartschool.hub.roster.Roster;
import org.smartschool.hub.roster.RosterStore;
import org.smartschool.hub.roster.Timetable;
import org.smartschool.hub.roster.TimetableJson;

/** Rosters, excuses and card keys in the state database (migration V6). */
public final class JdbcRosterStore implements RosterStore {
    private final Jdbc jdbc;

    public JdbcRosterStore(StateDatabase db) {
        this.jdbc = new Jdbc(db);
    }

    @Override
    public void replace(String school, Roster roster, String source, long now) {
        jdbc.write(c -> {
            // the school's row first, locked by the UPDATE: two replicas importing at once take turns, so neither
            // meets the other's rows in a unique-key error (whose text would quote a learner id or UID)
            Jdbc.update(c, "INSERT INTO roster_school (school, revision, timetable, source, imported_at) VALUES (?, 0, '{}', '', 0)"
                    + " ON CONFLICT (school) DO NOTHING", school);
            Jdbc.update(c, "UPDATE roster_school SET revision = revision + 1, timetable = ?, source = ?, imported_at = ? WHERE school = ?",
                    TimetableJson.write(roster.timetable()), source, now, school);
            Set<String> newUids = new HashSet<>();
            roster.cards().forEach(card -> newUids.add(card.uid()));
            // revoked before and not listed now: kept revoked, so the lost card stays refused
            List<Card> keptRevoked = Jdbc.query(c, "SELECT uid, learner FROM roster_card WHERE school = ? AND revoked = 1",
                    rs -> new Card(rs.getString(1), rs.getString(2), true), school).stream()
                    .filter(card -> !newUids.contains(card.uid())).toList();
            Jdbc.update(c, "DELETE FROM roster_learner WHERE school = ?", school);
            Jdbc.update(c, "DELETE FROM roster_card WHERE school = ?", school);
            for (Learner l : roster.learners()) {
                Jdbc.update(c, "INSERT INTO roster_learner (school, learner, name, homeroom, sections) VALUES (?, ?, ?, ?, ?)",
                        school, l.id(), l.name(), l.homeroom(), String.join(" ", l.sections()));
            }
            for (Card card : roster.cards()) {
                insertCard(c, school, card, now);
            }
            for (Card card : keptRevoked) {
                insertCard(c, school, card, now);
            }
            return null;
        });
    }

    private static void insertCard(Connection c, String school, Card card, long now) throws SQLException {
        Jdbc.update(c, "INSERT INTO roster_card (school, uid, learner, revoked, changed_at) VALUES (?, ?, ?, ?, ?)",
                school, card.uid(), card.learner(), card.revoked() ? 1 : 0, now);
    }

    private static void bump(Connection c, String school) throws SQLException {
        Jdbc.update(c, "UPDATE roster_school SET revision = revision + 1 WHERE school = ?", school);
    }

    @Override
    public Optional<Roster> roster(String school) {
        return jdbc.read(c -> {
            List<String> timetable = Jdbc.query(c, "SELECT timetable FROM roster_school WHERE school = ?", rs -> rs.getString(1), school);
            if (timetable.isEmpty()) {
                return Optional.empty();
            }
            Timetable t = TimetableJson.read(timetable.get(0));
            List<Learner> learners = Jdbc.query(c, "SELECT learner, name, homeroom, sections FROM roster_learner WHERE school = ?"
                    + " ORDER BY learner", rs -> new Learner(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4).isEmpty() ? List.of() : List.of(rs.getString(4).split(" "))), school);
            List<Card> cards = Jdbc.query(c, "SELECT uid, learner, revoked FROM roster_card WHERE school = ? ORDER BY uid",
                    rs -> new Card(rs.getString(1), rs.getString(2), rs.getInt(3) == 1), school);
            return Optional.of(new Roster(t, learners, cards));
        });
    }

    @Override
    public Optional<Imported> imported(String school) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT imported_at, source, revision FROM roster_school WHERE school = ?",
                rs -> new Imported(school, rs.getLong(1), rs.getString(2), rs.getLong(3)), school)).stream().findFirst();
    }

    @Override
    public boolean revokeCard(String school, String uid, long now) {
        return jdbc.write(c -> {
            List<Integer> state = Jdbc.query(c, "SELECT revoked FROM roster_card WHERE school = ? AND uid = ?", rs -> rs.getInt(1),
                    school, uid);
            if (state.isEmpty()) {
                return false;
            }
            if (state.get(0) == 0) {
                Jdbc.update(c, "UPDATE roster_card SET revoked = 1, changed_at = ? WHERE school = ? AND uid = ?", now, school, uid);
                bump(c, school);
            }
            return true;
        });
    }

    @Override
    public boolean addExcuse(String school, Excuse excuse, long now) {
        return jdbc.write(c -> {
            String period = excuse.period() == null ? "" : excuse.period();
            // ON CONFLICT: another replica's same excuse is no error (whose text would quote the learner id)
            boolean added = Jdbc.update(c, "INSERT INTO roster_excuse (school, learner, day, session, period, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (school, learner, day, session, period) DO NOTHING",
                    school, excuse.learner(), excuse.date().toString(), excuse.session(), period, now) == 1;
            if (added) {
                bump(c, school);
            }
            return added;
        });
    }

    @Override
    public List<Excuse> excuses(String school) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT learner, day, session, period FROM roster_excuse WHERE school = ?"
                + " ORDER BY day, learner, session, period", rs -> new Excuse(rs.getString(1), LocalDate.parse(rs.getString(2)),
                rs.getString(3), rs.getString(4).isEmpty() ? null : rs.getString(4)), school));
    }

    @Override
    public Optional<CardKey> cardKey(String school) {
        return jdbc.read(c -> current(c, school));
    }

    private static Optional<CardKey> current(Connection c, String school) throws SQLException {
        return Jdbc.query(c, "SELECT id, secret, created_at FROM card_key WHERE school = ? ORDER BY created_at DESC, id DESC LIMIT 1",
                rs -> new CardKey(rs.getString(1), Base64.getDecoder().decode(rs.getString(2)), rs.getLong(3)), school)
                .stream().findFirst();
    }

    @Override
    public CardKey rotateKey(String school, CardKey next, String expectedCurrent) {
        return jdbc.write(c -> {
            Optional<CardKey> now = current(c, school);
            String currentId = now.map(CardKey::id).orElse(null);
            if (!java.util.Objects.equals(currentId, expectedCurrent)) {
                return now.orElseThrow(); // another replica rotated first: theirs stands
            }
            // never older than the key it replaces, so that it is the newest also when clocks differ
            long createdAt = Math.max(next.createdAt(), now.map(k -> k.createdAt() + 1).orElse(next.createdAt()));
            Jdbc.update(c, "INSERT INTO card_key (school, id, secret, created_at) VALUES (?, ?, ?, ?)", school, next.id(),
                    Base64.getEncoder().encodeToString(next.secret()), createdAt);
            bump(c, school);
            return new CardKey(next.id(), next.secret(), createdAt);
        });
    }

    @Override
    public List<String> keysOlderThan(long before) {
        return jdbc.read(c -> Jdbc.query(c, "SELECT r.school FROM roster_school r WHERE NOT EXISTS"
                + " (SELECT 1 FROM card_key k WHERE k.school = r.school AND k.created_at >= ?) ORDER BY r.school",
                rs -> rs.getString(1), before));
    }

    @Override
    public Map<String, Long> revisions() {
        return jdbc.read(c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            Jdbc.query(c, "SELECT school, revision FROM roster_school ORDER BY school", rs -> out.put(rs.getString(1), rs.getLong(2)));
            return out;
        });
    }

    /** For tests: the rows of the school's cards, revoked ones included. */
    List<Card> cards(String school) {
        return roster(school).map(Roster::cards).orElse(new ArrayList<>());
    }
}

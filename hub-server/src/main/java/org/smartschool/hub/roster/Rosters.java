package org.smartschool.hub.roster;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smartschool.hub.config.RosterConfig;

/**
 * The schools' rosters: imports (all or nothing), excuses, card revocations and card keys, and the
 * {@code attendance} sections built from them for the gateways. Blocking: call it on a worker.
 *
 * <p>Log lines name the school and counts only: never a learner id, a name, a UID or a key's secret.
 */
public final class Rosters {
    private static final Logger LOG = LoggerFactory.getLogger(Rosters.class);

    /** How a set of files is read. */
    public enum Format {
        CSV("csv"), ONEROSTER("oneroster");

        private final String id;

        Format(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Optional<Format> byId(String id) {
            for (Format f : values()) {
                if (f.id.equals(id)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** What a gateway of the school gets: its {@code attendance} section and {@code rules.lessonHours}. */
    public record SchoolAttendance(Map<String, Object> section, Map<String, Object> lessonHours) {
    }

    private record Built(long revision, LocalDate day, SchoolAttendance attendance) {
    }

    private final RosterStore store;
    private final RosterConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Built> built = new ConcurrentHashMap<>();

    public Rosters(RosterStore store, RosterConfig config, Clock clock, SecureRandom random) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.random = random;
    }

    public RosterStore store() {
        return store;
    }

    public RosterConfig config() {
        return config;
    }

    /** The school's date now, in the configured time zone. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), config.zone()); // not clock.withZone: a test clock may ignore it
    }

    /**
     * Reads the files and, when they hold no problem, replaces the school's roster; the school gets its first card
     * key with its first roster.
     *
     * @param registryRooms the school's rooms in the registry (rooms named must be among them); null: not checked
     * @throws RosterImportException every problem found; nothing was changed
     */
    public Roster importFiles(String school, Format format, Map<String, byte[]> files, Set<String> registryRooms) {
        Roster roster = format == Format.CSV ? RosterCsv.read(files, registryRooms)
                : OneRosterCsv.read(files, registryRooms, today());
        store.replace(school, roster, format.id(), clock.millis());
        if (store.cardKey(school).isEmpty()) {
            store.rotateKey(school, CardKey.generate(random, clock.millis()), null);
        }
        LOG.info("[school: {}] roster imported ({}): {} learners, {} cards, {} classes, {} periods", school, format.id(),
                roster.learners().size(), roster.cards().size(), roster.timetable().classes().size(),
                roster.timetable().periods().size());
        return roster;
    }

    /** A new card key for the school: every card hash is sent again under it. */
    public CardKey rotateKey(String school) {
        String current = store.cardKey(school).map(CardKey::id).orElse(null);
        CardKey key = store.rotateKey(school, CardKey.generate(random, clock.millis()), current);
        LOG.info("[school: {}] card key rotated: now {}", school, key.id());
        return key;
    }

    /** Rotates the keys older than {@code roster.cardKeyRotation}; none when it is zero. */
    public List<String> rotateDueKeys() {
        if (config.rotation().isZero()) {
            return List.of();
        }
        long before = ZonedDateTime.ofInstant(clock.instant(), config.zone()).minus(config.rotation()).toInstant().toEpochMilli();
        List<String> due = store.keysOlderThan(before);
        due.forEach(this::rotateKey);
        return due;
    }

    /**
     * Each school's attendance section and lesson hours, rebuilt only for the schools whose revision (or date)
     * changed since the last call.
     */
    public Map<String, SchoolAttendance> attendance() {
        LocalDate today = today();
        Map<String, Long> revisions = store.revisions();
        built.keySet().retainAll(revisions.keySet());
        for (Map.Entry<String, Long> e : revisions.entrySet()) {
            Built before = built.get(e.getKey());
            if (before != null && before.revision() == e.getValue() && before.day().equals(today)) {
                continue;
            }
            Optional<Roster> roster = store.roster(e.getKey());
            Optional<CardKey> key = store.cardKey(e.getKey());
            if (roster.isEmpty() || key.isEmpty()) {
                continue;
            }
            Map<String, Object> section = AttendanceSection.of(roster.get(), key.get(), store.excuses(e.getKey()), config, today);
            built.put(e.getKey(), new Built(e.getValue(), today, new SchoolAttendance(section,
                    AttendanceSection.lessonHours(roster.get().timetable(), config))));
        }
        Map<String, SchoolAttendance> out = new java.util.HashMap<>();
        built.forEach((school, b) -> out.put(school, b.attendance()));
        return out;
    }
}

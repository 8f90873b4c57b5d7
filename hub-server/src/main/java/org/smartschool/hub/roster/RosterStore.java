package org.smartschool.hub.roster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the hub keeps each school's roster, excuses and card keys (the state database, migration V6).
 * Every change raises the school's revision, which tells the desired configurations to rebuild. Blocking.
 */
public interface RosterStore {
    /**
     * Replaces the school's roster as a whole, in one transaction. Cards revoked before stay revoked even when
     * the new roster no longer lists them (a lost card stays refused), unless it lists them active again.
     *
     * @param source what it came from, e.g. {@code csv} or {@code oneroster}
     */
    void replace(String school, Roster roster, String source, long now);

    /** The school's roster with every card kept, revoked ones included; empty before the first import. */
    Optional<Roster> roster(String school);

    /** When the roster was imported, from what, and its revision. */
    Optional<Imported> imported(String school);

    /** @return false when the school has no such card (revoking twice is fine) */
    boolean revokeCard(String school, String uid, long now);

    /** @return false when the excuse was there already */
    boolean addExcuse(String school, Excuse excuse, long now);

    List<Excuse> excuses(String school);

    /** The school's current (newest) card key. */
    Optional<CardKey> cardKey(String school);

    /**
     * Makes {@code next} the school's key unless another replica rotated first: only when the current key's id is
     * {@code expectedCurrent} (null: the school has none).
     *
     * @return the current key after the call ({@code next}, or the other replica's)
     */
    CardKey rotateKey(String school, CardKey next, String expectedCurrent);

    /** The schools with a roster whose newest card key was made before {@code before} (or who have none). */
    List<String> keysOlderThan(long before);

    /** Each school with a roster, and its revision. */
    Map<String, Long> revisions();

    /** A school's import: when, from what format, its revision. */
    record Imported(String school, long importedAt, String source, long revision) {
    }
}

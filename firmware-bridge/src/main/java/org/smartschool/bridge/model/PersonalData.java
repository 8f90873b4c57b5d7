package org.smartschool.bridge.model;

import java.util.Set;

/**
 * Names of event attributes that are personal data under Decree 13/2023/ND-CP: they travel only to
 * the school management system and never enter logs or the time-series store.
 */
public final class PersonalData {
    /** Every name {@link #isPersonal} knows (stores that must forget what older versions kept). */
    public static final Set<String> NAMES = Set.of("uid", "card_uid", "card_number", "learner_id", "person_id", "face_id",
            // a keyed hash of a card uid (CardHash) still singles out one learner's card
            "card_hash");

    private PersonalData() {
    }

    public static boolean isPersonal(String attribute) {
        return NAMES.contains(attribute);
    }
}

package org.smartschool.bridge.model;

import java.util.Set;

/**
 * Names of event attributes that are personal data under Decree 13/2023/ND-CP: they travel only to
 * the school management system and never enter logs or the time-series store.
 */
public final class PersonalData {
    private static final Set<String> PERSONAL = Set.of("uid", "card_uid", "card_number", "learner_id", "person_id", "face_id");

    private PersonalData() {
    }

    public static boolean isPersonal(String attribute) {
        return PERSONAL.contains(attribute);
    }
}

package org.smartschool.hub.roster;

import org.smartschool.bridge.attendance.CardHash;

/**
 * A learner's card: its UID (normalised as {@link CardHash#normalise}) and whether it was revoked (a lost card
 * stays in the roster as revoked, so a tap with it is refused as revoked, not unknown). Personal data:
 * {@link #toString()} shows neither UID nor learner.
 */
public record Card(String uid, String learner, boolean revoked) {
    public Card {
        uid = CardHash.normalise(uid);
        if (!Learner.isValidId(learner)) {
            throw new IllegalArgumentException("card: learner id not 12 digits");
        }
    }

    @Override
    public String toString() {
        return "Card[revoked=" + revoked + "]";
    }
}

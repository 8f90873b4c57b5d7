package org.smartschool.hub.roster;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.smartschool.bridge.model.Ids;

/**
 * A learner: the 12-digit national personal ID as learner id, a name, a homeroom class and the period-level
 * classes (sections) they also attend. The id and name are personal data: {@link #toString()} shows neither.
 */
public record Learner(String id, String name, String homeroom, List<String> sections) {
    public static final Pattern ID = Pattern.compile("[0-9]{12}");

    public Learner {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("learner id: not 12 digits");
        }
        name = Objects.requireNonNullElse(name, "").strip();
        Ids.require("class", homeroom);
        sections = List.copyOf(sections);
        sections.forEach(s -> Ids.require("section", s));
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    @Override
    public String toString() {
        return "Learner[class=" + homeroom + ", sections=" + sections + "]";
    }
}

package org.smartschool.hub.registry;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The district's digital record of its schools, buildings, rooms, equipment and gateways: what
 * {@code inventory.yaml} holds and the state database keeps. Lists are kept sorted by id, so two
 * registries with the same content are equal however they were written down.
 *
 * @param district     the district's id, e.g. {@code quan-3}
 * @param districtName how people call it; optional
 */
public record Registry(String district, String districtName, List<School> schools) {
    public Registry {
        Check.id("district.id", district);
        districtName = Check.optionalText("district.name", districtName);
        schools = Check.uniqueIds("schools", schools, School::id, "school");
        Map<String, String> gateways = new HashMap<>();
        for (int s = 0; s < schools.size(); s++) {
            for (int g = 0; g < schools.get(s).gateways().size(); g++) {
                String id = schools.get(s).gateways().get(g).id();
                String first = gateways.putIfAbsent(id, schools.get(s).id());
                if (first != null) {
                    throw new InvalidRegistryException("schools[" + s + "].gateways[" + g + "].id",
                            "gateway id '" + id + "' belongs to two schools ('" + first + "' and '" + schools.get(s).id() + "')");
                }
            }
        }
        schools = schools.stream().sorted(Comparator.comparing(School::id)).toList();
    }

    public Optional<School> school(String id) {
        return schools.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}

package org.smartschool.hub.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.School;

/**
 * The schools and rooms of the registry, as the query API and the overview page list them (a school that is in
 * the registry but has sent nothing yet shows with status "no data"). The registry changes a few times a day
 * while the page asks every 10 s, so a snapshot is read at most every {@link #MAX_AGE_NANOS}; an edit through
 * the registry API shows within that time. Blocking (a state database read): call on a worker thread.
 */
public final class RegisteredPlaces {
    /** Nothing registered: tests and hubs without a registry. */
    public static final RegisteredPlaces NONE = new RegisteredPlaces(null);
    static final long MAX_AGE_NANOS = 5_000_000_000L;

    /** A registered school: its name and the ids of its rooms, sorted. */
    record Place(String name, Set<String> rooms) {
    }

    private final RegistryStore registry;
    private Map<String, Place> snapshot = Map.of();
    private long readAt;
    private boolean read;

    public RegisteredPlaces(RegistryStore registry) {
        this.registry = registry;
    }

    /** Every registered school by id, sorted. */
    synchronized Map<String, Place> schools() {
        if (registry == null) {
            return Map.of();
        }
        long now = System.nanoTime();
        if (!read || now - readAt > MAX_AGE_NANOS) {
            snapshot = places(registry.schools());
            readAt = now;
            read = true;
        }
        return snapshot;
    }

    private static Map<String, Place> places(List<School> schools) {
        Map<String, Place> out = new TreeMap<>();
        for (School school : schools) {
            out.put(school.id(), new Place(school.name(),
                    school.rooms().map(Room::id).collect(Collectors.toCollection(TreeSet::new))));
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}

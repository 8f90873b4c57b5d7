package org.smartschool.hub.desired;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.registry.RegistryStore;

/**
 * The gateways' desired configurations with their schools' room kinds from the registry
 * ({@link DesiredConfigAssembly#withRoomKinds}); a school the registry does not know gets its
 * configured one alone.
 *
 * <p>Versions: the gateway ignores a version it already runs (docs/protocol.md 3.2), so each change of
 * a school's kinds must raise it, also across hub restarts, without a table of its own: the version is
 * the time, in epoch seconds, at which this hub first saw the school's current kinds (at its start, or
 * at the {@link #refresh()} that found the change), at least one more than the version before. A hub
 * restart therefore sends the same content once more under a new version, which the gateway applies
 * as a no-op. The configured {@code version} still counts where it is larger.
 *
 * <p>The kinds are held in memory, so that {@link #desiredConfig} never blocks the endpoint's event loop;
 * {@link #refresh()} (blocking) reads the registry again.
 */
public final class DesiredConfigs implements DesiredConfigSource {
    private final RegistryStore registry;
    private final Clock clock;
    private final Map<String, SchoolKinds> schools = new ConcurrentHashMap<>();

    /** A school's room kinds and the version they were first seen under. */
    private record SchoolKinds(Map<String, String> kinds, long version) {
    }

    public DesiredConfigs(RegistryStore registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> desiredConfig(GatewayConfig gateway) {
        SchoolKinds school = schools.get(gateway.school());
        return school == null ? DesiredConfigAssembly.configured(gateway.desiredConfig())
                : DesiredConfigAssembly.withRoomKinds(gateway.desiredConfig(), school.kinds(), school.version());
    }

    /**
     * Reads every school's room kinds from the registry (blocking: call it on a worker) and gives the
     * schools whose kinds changed a new version.
     *
     * @return the schools whose desired configuration changed, for the gateways connected now
     */
    public synchronized Set<String> refresh() {
        Map<String, Map<String, String>> now = new HashMap<>();
        registry.roomKinds().forEach((school, rooms) -> {
            Map<String, String> kinds = new TreeMap<>();
            rooms.forEach((room, kind) -> kinds.put(room, kind.id()));
            now.put(school, Map.copyOf(kinds));
        });
        // a school gone from the registry keeps an entry without rooms: its version must not fall back
        for (String known : schools.keySet()) {
            now.putIfAbsent(known, Map.of());
        }
        Set<String> changed = new LinkedHashSet<>();
        long seconds = clock.millis() / 1000;
        for (Map.Entry<String, Map<String, String>> e : new TreeMap<>(now).entrySet()) {
            SchoolKinds before = schools.get(e.getKey());
            if (before == null || !before.kinds().equals(e.getValue())) {
                long version = before == null ? seconds : Math.max(seconds, before.version() + 1);
                schools.put(e.getKey(), new SchoolKinds(e.getValue(), version));
                changed.add(e.getKey());
            }
        }
        return changed;
    }
}

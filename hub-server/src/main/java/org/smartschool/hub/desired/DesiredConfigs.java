package org.smartschool.hub.desired;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.registry.RegistryStore;

/**
 * The gateways' desired configurations with their schools' room kinds from the registry
 * ({@link DesiredConfigAssembly#withRoomKinds}) and, for a school with a roster, its {@code attendance}
 * section and timetable's lesson hours ({@link DesiredConfigAssembly#withAttendance}); a school the
 * registry does not know and without a roster gets its configured one alone. A change of either gives
 * the school a new version.
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
    private final Supplier<Map<String, Attendance>> attendance;
    private final Map<String, SchoolKinds> schools = new ConcurrentHashMap<>();

    /**
     * A school's {@code attendance} section and the {@code rules.lessonHours} of its timetable
     * ({@link org.smartschool.hub.roster.Rosters}).
     */
    public record Attendance(Map<String, Object> section, Map<String, Object> lessonHours) {
    }

    /** A school's room kinds, its attendance (null without a roster) and the version they were first seen under. */
    private record SchoolKinds(Map<String, String> kinds, Attendance attendance, long version) {
    }

    public DesiredConfigs(RegistryStore registry, Clock clock) {
        this(registry, clock, Map::of);
    }

    /** @param attendance each school's attendance (blocking; called by {@link #refresh()}) */
    public DesiredConfigs(RegistryStore registry, Clock clock, Supplier<Map<String, Attendance>> attendance) {
        this.registry = registry;
        this.clock = clock;
        this.attendance = attendance;
    }

    @Override
    public Map<String, Object> desiredConfig(GatewayConfig gateway) {
        SchoolKinds school = schools.get(gateway.school());
        if (school == null) {
            return DesiredConfigAssembly.configured(gateway.desiredConfig());
        }
        Map<String, Object> out = DesiredConfigAssembly.withRoomKinds(gateway.desiredConfig(), school.kinds(), school.version());
        return school.attendance() == null ? out
                : DesiredConfigAssembly.withAttendance(out, school.attendance().section(), school.attendance().lessonHours());
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
        Map<String, Attendance> rosters = attendance.get();
        for (String school : rosters.keySet()) {
            now.putIfAbsent(school, Map.of());
        }
        Set<String> changed = new LinkedHashSet<>();
        long seconds = clock.millis() / 1000;
        for (Map.Entry<String, Map<String, String>> e : new TreeMap<>(now).entrySet()) {
            SchoolKinds before = schools.get(e.getKey());
            Attendance att = rosters.get(e.getKey());
            if (before == null || !before.kinds().equals(e.getValue()) || !java.util.Objects.equals(before.attendance(), att)) {
                long version = before == null ? seconds : Math.max(seconds, before.version() + 1);
                schools.put(e.getKey(), new SchoolKinds(e.getValue(), att, version));
                changed.add(e.getKey());
            }
        }
        return changed;
    }
}

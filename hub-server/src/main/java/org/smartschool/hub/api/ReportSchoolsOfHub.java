package org.smartschool.hub.api;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.registry.RegistryStore;
import org.smartschool.hub.report.ReportSchools;
import org.smartschool.hub.store.GatewayStatus;
import org.smartschool.hub.store.ReadingStore;

/**
 * The schools a report can be about: those the query API knows ({@link KnownPlaces}: the registry, hub.yaml's
 * gateways, gateways heard from, rooms with data), named as the registry or hub.yaml names them. Blocking.
 */
public final class ReportSchoolsOfHub implements ReportSchools {
    private final ReadingStore store;
    private final List<GatewayConfig> gateways;
    private final RegisteredPlaces registered;
    private final RegistryStore registry;
    private final KnownPlaces known;

    /** @param registry the registry, for its schools' gateways; null without one */
    public ReportSchoolsOfHub(ReadingStore store, List<GatewayConfig> gateways, RegisteredPlaces registered,
                              RegistryStore registry) {
        this.store = store;
        this.gateways = List.copyOf(gateways);
        this.registered = registered;
        this.registry = registry;
        this.known = new KnownPlaces(store, gateways, registered);
    }

    @Override
    public List<String> schools() {
        Set<String> out = new TreeSet<>(registered.schools().keySet());
        gateways.forEach(g -> out.add(g.school()));
        store.gatewayStatuses().forEach(s -> out.add(s.school()));
        store.rooms().forEach(r -> out.add(r.school()));
        return List.copyOf(out);
    }

    @Override
    public boolean knows(String school) {
        return known.school(school);
    }

    @Override
    public String name(String school) {
        RegisteredPlaces.Place place = registered.schools().get(school);
        if (place != null) {
            return place.name();
        }
        return gateways.stream().filter(g -> g.school().equals(school)).map(GatewayConfig::schoolName).findFirst().orElse(school);
    }

    @Override
    public Set<String> gateways(String school) {
        Set<String> out = new TreeSet<>();
        gateways.stream().filter(g -> g.school().equals(school)).forEach(g -> out.add(g.id()));
        if (registry != null) {
            registry.school(school).ifPresent(s -> s.gateways().forEach(g -> out.add(g.id())));
        }
        for (GatewayStatus s : store.gatewayStatuses()) {
            if (s.school().equals(school)) {
                out.add(s.gateway());
            }
        }
        return out;
    }
}

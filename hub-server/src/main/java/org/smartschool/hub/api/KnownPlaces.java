package org.smartschool.hub.api;

import java.util.List;

import org.smartschool.hub.config.GatewayConfig;
import org.smartschool.hub.store.ReadingStore;
import org.smartschool.hub.store.RoomRef;

/**
 * Which schools and rooms the hub knows: a school is known when it is in the registry, a configured gateway
 * belongs to it, a gateway of it was heard from, or it has a room; a room is known when it is in the registry
 * or sent a reading or an event.
 * The API answers 404 for anything else. Blocking (store queries): call on a worker thread, and only when
 * an answer is empty, since listing the rooms reads every series key of an InfluxDB database.
 */
final class KnownPlaces {
    private final ReadingStore store;
    private final List<GatewayConfig> gateways;
    private final RegisteredPlaces registered;

    KnownPlaces(ReadingStore store, List<GatewayConfig> gateways, RegisteredPlaces registered) {
        this.store = store;
        this.gateways = List.copyOf(gateways);
        this.registered = registered;
    }

    boolean configured(String school) {
        return gateways.stream().anyMatch(g -> g.school().equals(school));
    }

    boolean school(String school) {
        return configured(school)
                || registered.schools().containsKey(school)
                || store.gatewayStatuses().stream().anyMatch(s -> s.school().equals(school))
                || store.rooms().stream().anyMatch(r -> r.school().equals(school));
    }

    boolean room(String school, String room) {
        RegisteredPlaces.Place place = registered.schools().get(school);
        return place != null && place.rooms().contains(room) || store.rooms().contains(new RoomRef(school, room));
    }

    /** The 404 message for a school or room that is not known, or null when both are. */
    String unknown(String school, String room) {
        if (!school(school)) {
            return "unknown school '" + school + "'";
        }
        if (room != null && !room(school, room)) {
            return "unknown room '" + room + "' of school '" + school + "': it is not in the registry and has sent nothing";
        }
        return null;
    }
}

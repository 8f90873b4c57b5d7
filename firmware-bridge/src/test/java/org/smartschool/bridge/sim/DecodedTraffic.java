package org.smartschool.bridge.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.routing.TopicRouter;

/** Simulated traffic decoded as a gateway would: a router built from the simulation's own routes, the standard codecs. */
final class DecodedTraffic {
    /** The gateway receives a message a little after the device published it. */
    static final long NETWORK_DELAY_MILLIS = 40;

    /** One message, the codec that decoded it and what it made of it. */
    record Decoded(SimulatedMessage message, String codec, DecodeResult result) {
        boolean hasProblems() {
            return result.hasProblems();
        }
    }

    final List<Decoded> all;

    private DecodedTraffic(List<Decoded> all) {
        this.all = all;
    }

    static DecodedTraffic decode(SchoolSimulation sim, List<SimulatedMessage> messages) {
        return decode(sim, messages, m -> true);
    }

    /** Decodes only the messages {@code which} selects (decoding is what costs a test its time). */
    static DecodedTraffic decode(SchoolSimulation sim, List<SimulatedMessage> messages, Predicate<SimulatedMessage> which) {
        TopicRouter router = new TopicRouter(sim.school(), sim.routes(), CodecRegistry.standard());
        List<Decoded> out = new ArrayList<>(messages.size());
        for (SimulatedMessage m : messages) {
            if (!which.test(m)) {
                continue;
            }
            TopicRouter.Routing routing = router.route(m.topic());
            assertThat(routing).as(m.topic()).isInstanceOf(TopicRouter.Routing.Routed.class);
            TopicRouter.Routing.Routed routed = (TopicRouter.Routing.Routed) routing;
            DecodeResult result = routed.codec().decode(
                    new RawMessage(m.topic(), null, m.payload(), m.timestamp() + NETWORK_DELAY_MILLIS), routed.device());
            out.add(new Decoded(m, routed.codec().name(), result));
        }
        return new DecodedTraffic(out);
    }

    List<Reading> readings() {
        return all.stream().flatMap(d -> d.result().readings().stream()).toList();
    }

    List<Reading> readings(String device, Quantity quantity) {
        return readings().stream().filter(r -> r.device().equals(device) && r.quantity() == quantity).toList();
    }

    List<DeviceEvent> events() {
        return all.stream().flatMap(d -> d.result().events().stream()).toList();
    }

    List<Decoded> where(Predicate<Decoded> filter) {
        return all.stream().filter(filter).toList();
    }
}

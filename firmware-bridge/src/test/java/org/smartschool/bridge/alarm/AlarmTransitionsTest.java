package org.smartschool.bridge.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.alarm.AlarmTransition.Kind;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.bridge.uplink.BatchCodec;

class AlarmTransitionsTest {
    private static final long T0 = 1_796_600_000_000L;
    private static final String ID = AlarmId.of("s1", "lab/lab-fridge", "lab-fridge", T0);

    private static AlarmTransition transition(Kind kind, long at, double value) {
        return new AlarmTransition(ID, "s1", "lab", "lab-fridge", "lab-fridge", kind, Severity.MAJOR, T0, at, value,
                "9.5 Cel outside 2-8");
    }

    @Test
    void transitionsCrossTheBatchFrameUnchanged() throws Exception {
        List<AlarmTransition> sent = List.of(transition(Kind.RAISED, T0, 9.5), transition(Kind.CLEARED, T0 + 600_000, Double.NaN));
        BatchCodec codec = new BatchCodec();
        Batch batch = new Batch("gw-1-1-2", "gw-1", "s1", List.of(), sent.stream().map(AlarmTransitions::asEvent).toList());
        Batch received = codec.decode(codec.encode(batch));
        assertEquals(sent, received.events().stream().map(AlarmTransitions::fromEvent).toList());
    }

    @Test
    void theSameTransitionIsTheSameEventAndIdsFitTheFrame() {
        DeviceEvent once = AlarmTransitions.asEvent(transition(Kind.SEVERITY_CHANGED, T0 + 1, 9.6));
        DeviceEvent again = AlarmTransitions.asEvent(transition(Kind.SEVERITY_CHANGED, T0 + 1, 9.6));
        assertEquals(once, again);
        assertTrue(once.id().length() <= 64, once.id());
        assertTrue(!once.id().equals(AlarmTransitions.asEvent(transition(Kind.SEVERITY_CHANGED, T0 + 2, 9.6)).id()));
    }

    @Test
    void aDamagedAlarmEventNamesWhatIsWrong() {
        DeviceEvent good = AlarmTransitions.asEvent(transition(Kind.RAISED, T0, 9.5));
        Map<String, String> noRule = new HashMap<>(good.attributes());
        noRule.remove(AlarmTransitions.RULE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlarmTransitions.fromEvent(
                new DeviceEvent(good.id(), "s1", "lab", "lab-fridge", good.type(), T0, noRule)));
        assertEquals("alarm event without 'rule'", e.getMessage());
        Map<String, String> badSeverity = new HashMap<>(good.attributes());
        badSeverity.put(AlarmTransitions.SEVERITY, "apocalyptic");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AlarmTransitions.fromEvent(
                new DeviceEvent(good.id(), "s1", "lab", "lab-fridge", good.type(), T0, badSeverity)))
                .getMessage().contains("unknown severity 'apocalyptic'"));
    }
}

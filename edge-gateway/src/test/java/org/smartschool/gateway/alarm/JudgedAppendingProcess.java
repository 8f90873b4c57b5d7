package org.smartschool.gateway.alarm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.outbox.IntakeFrame;
import org.smartschool.gateway.outbox.Outbox;

/**
 * Run in its own JVM by {@link SchoolRulesKillTest}: appends one CO2 reading at a time, judged by
 * the school's rules (r1 a classroom), for ever: 1300 ppm, 1300, 800, 800, 1300 ... so that an alarm
 * is raised or cleared at every odd append. Prints {@code appended N} after each append returned.
 */
public final class JudgedAppendingProcess {
    static final long T0 = 1_760_000_000_000L;
    static final RulesSettings RULES = RulesSettings.defaults().withRoomKinds(Map.of("r1", "classroom"));
    static final DeviceRef DEVICE = new DeviceRef("s1", "r1", "co2-1");

    private JudgedAppendingProcess() {
    }

    static double value(int i) {
        return (i - 1) / 2 % 2 == 0 ? 1300 : 800;
    }

    public static void main(String[] args) throws Exception {
        try (Outbox outbox = Outbox.open(Path.of(args[0]), 1_000_000, 10)) {
            SchoolRules rules = SchoolRules.open(outbox, RULES.toRuleBook(), RULES.toLessonHours());
            for (int i = 1; ; i++) {
                outbox.appendFrames(List.of(IntakeFrame.of(
                        List.of(Reading.of(DEVICE, Quantity.CO2, value(i), T0 + i * 1000L)), List.of())), true, rules);
                System.out.println("appended " + i);
                System.out.flush();
            }
        }
    }
}

package org.smartschool.gateway.outbox;

import java.nio.file.Path;
import java.util.List;

import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Run in its own JVM by {@link OutboxKillTest}: appends one reading at a time for ever and prints
 * {@code appended N} after each append returned, until the test kills it.
 */
public final class AppendingProcess {
    private AppendingProcess() {
    }

    public static void main(String[] args) throws Exception {
        DeviceRef device = new DeviceRef("s1", "r1", "co2-1");
        try (Outbox outbox = Outbox.open(Path.of(args[0]), 1_000_000, 10)) {
            for (int i = 1; ; i++) {
                outbox.append(List.of(Reading.of(device, Quantity.CO2, i, 1_760_000_000_000L + i)), List.of());
                System.out.println("appended " + i);
                System.out.flush();
            }
        }
    }
}

package org.smartschool.bridge.uplink;

import java.util.List;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Ids;
import org.smartschool.bridge.model.Reading;

/**
 * What a gateway sends the hub in one MQTT message: readings and events of its one school.
 *
 * @param batchId unique per batch and the same when the batch is sent again, so the hub can tell a
 *                replay (idempotency key); at most 128 characters, so "{gatewayId}-{firstSeq}-{lastSeq}" fits for any gateway id
 */
public record Batch(String batchId, String gatewayId, String school, List<Reading> readings, List<DeviceEvent> events) {

    public Batch {
        if (batchId == null || batchId.isEmpty() || batchId.length() > 128) {
            throw new IllegalArgumentException("batch id must be 1-128 characters");
        }
        Ids.require("gateway", gatewayId);
        Ids.require("school", school);
        readings = List.copyOf(readings);
        events = List.copyOf(events);
        for (Reading r : readings) {
            if (!r.school().equals(school)) {
                throw new IllegalArgumentException("batch " + batchId + " of school '" + school
                        + "' holds a reading of school '" + r.school() + "'");
            }
        }
        for (DeviceEvent e : events) {
            if (!e.school().equals(school)) {
                throw new IllegalArgumentException("batch " + batchId + " of school '" + school
                        + "' holds an event of school '" + e.school() + "'");
            }
        }
    }

    public int size() {
        return readings.size() + events.size();
    }
}

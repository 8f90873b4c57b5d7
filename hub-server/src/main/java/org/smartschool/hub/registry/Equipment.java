package org.smartschool.hub.registry;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/**
 * A device or piece of equipment in a room: a sensor whose readings the hub stores (its id is the
 * device id in the time series), a projector, a fume hood.
 *
 * @param type         what it is, e.g. {@code air-quality-sensor}, {@code projector} (an id)
 * @param model        maker and model; optional
 * @param serialNumber optional
 * @param installed    optional
 * @param warrantyEnd  optional; not before {@code installed}
 * @param maintenance  the log, oldest first (entries of one day keep their order)
 */
public record Equipment(String id, String type, String model, String serialNumber, LocalDate installed,
                        LocalDate warrantyEnd, EquipmentStatus status, List<MaintenanceEntry> maintenance) {
    public Equipment {
        Check.id("id", id);
        Check.id("type", type);
        model = Check.optionalText("model", model);
        serialNumber = Check.optionalText("serialNumber", serialNumber);
        if (installed != null && warrantyEnd != null && warrantyEnd.isBefore(installed)) {
            throw new InvalidRegistryException("warrantyEnd",
                    "warrantyEnd (" + warrantyEnd + ") is before installed (" + installed + ")");
        }
        if (status == null) {
            status = EquipmentStatus.IN_SERVICE;
        }
        List<MaintenanceEntry> log = maintenance == null ? List.of() : maintenance;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i) == null) {
                throw new InvalidRegistryException("maintenance[" + i + "]", "maintenance[" + i + "] is empty");
            }
        }
        // a stable sort: the log reads in time order wherever the entries came from
        maintenance = log.stream().sorted(Comparator.comparing(MaintenanceEntry::date)).toList();
    }

    public Equipment withMaintenance(List<MaintenanceEntry> log) {
        return new Equipment(id, type, model, serialNumber, installed, warrantyEnd, status, log);
    }
}

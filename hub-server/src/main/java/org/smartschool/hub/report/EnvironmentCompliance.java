package org.smartschool.hub.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.smartschool.bridge.model.Quantity;
import org.smartschool.gateway.rules.Rule;
import org.smartschool.gateway.rules.RuleBook;
import org.smartschool.hub.store.DeviceLastSeen;
import org.smartschool.hub.store.DeviceStep;

/**
 * The share of lesson time each room kept each quantity within the school's limits ({@link ComplianceLimit}),
 * from the store's step means:
 * <ol>
 *   <li>each device of the school gets the first rule with a limit that the school's {@link RuleBook} applies to
 *       its readings of the quantity (room kind, device globs, overrides: as the gateway resolves them), so a lab
 *       fridge is judged by {@code lab-fridge} and the room's thermometer by {@code temperature};</li>
 *   <li>per room and rule, each step's value is the mean of its devices' step means;</li>
 *   <li>a step counts for the part of it that is lesson time ({@link LessonTime}) within the month; outside lesson
 *       hours nothing counts; it counts as within when its value is within the limit.</li>
 * </ol>
 */
public final class EnvironmentCompliance {
    /** One aggregation query of the store: every device's step means of one quantity in the month. */
    @FunctionalInterface
    public interface StepMeans {
        List<DeviceStep> of(Quantity quantity, long stepMillis);
    }

    private record Group(String room, ComplianceLimit limit) {
    }

    private EnvironmentCompliance() {
    }

    /** The rows by quantity, room and rule; a group without any step mean in the month has no row. */
    public static List<ComplianceRow> compute(RuleBook book, LessonTime lessons, long fromMillis, long toMillis,
                                              List<DeviceLastSeen> devices, StepMeans means) {
        long lessonMillis = lessons.overlapMillis(fromMillis, toMillis);
        Set<Quantity> quantities = EnumSet.noneOf(Quantity.class);
        book.rules().stream().filter(r -> ComplianceLimit.of(r).isPresent()).forEach(r -> quantities.add(r.quantity()));
        List<ComplianceRow> rows = new ArrayList<>();
        for (Quantity quantity : quantities) {
            // (room, limit) -> its devices
            Map<Group, Set<String>> groups = new LinkedHashMap<>();
            for (DeviceLastSeen d : devices) {
                limitFor(book, d.room(), d.device(), quantity).ifPresent(limit ->
                        groups.computeIfAbsent(new Group(d.room(), limit), g -> new java.util.HashSet<>()).add(d.device()));
            }
            Map<Long, Map<String, List<DeviceStep>>> byStep = new HashMap<>();
            for (Group g : groups.keySet()) {
                byStep.computeIfAbsent(g.limit().stepMillis(), step -> index(means.of(quantity, step)));
            }
            for (Map.Entry<Group, Set<String>> e : groups.entrySet()) {
                Group g = e.getKey();
                long step = g.limit().stepMillis();
                Map<String, List<DeviceStep>> indexed = byStep.get(step);
                // step start -> sum and count of its devices' means
                TreeMap<Long, double[]> steps = new TreeMap<>();
                for (String device : e.getValue()) {
                    for (DeviceStep s : indexed.getOrDefault(g.room() + '\n' + device, List.of())) {
                        double[] acc = steps.computeIfAbsent(s.timestamp(), t -> new double[2]);
                        acc[0] += s.mean();
                        acc[1]++;
                    }
                }
                if (steps.isEmpty()) {
                    continue;
                }
                long measured = 0;
                long within = 0;
                for (Map.Entry<Long, double[]> s : steps.entrySet()) {
                    long lesson = lessons.overlapMillis(Math.max(s.getKey(), fromMillis), Math.min(s.getKey() + step, toMillis));
                    measured += lesson;
                    if (g.limit().within(s.getValue()[0] / s.getValue()[1])) {
                        within += lesson;
                    }
                }
                rows.add(new ComplianceRow(g.room(), quantity, g.limit().rule(), g.limit().describe(), lessonMillis, measured,
                        within));
            }
        }
        rows.sort(Comparator.comparing(ComplianceRow::quantity).thenComparing(ComplianceRow::room)
                .thenComparing(ComplianceRow::rule));
        return List.copyOf(rows);
    }

    /** Per quantity and rule, the school's rooms added up (room {@code *}); lesson time too, so coverage stays a share. */
    public static List<ComplianceRow> bySchool(List<ComplianceRow> rows) {
        Map<String, ComplianceRow> out = new LinkedHashMap<>();
        for (ComplianceRow r : rows) {
            out.merge(r.quantity().id() + '\n' + r.rule(), new ComplianceRow("*", r.quantity(), r.rule(), r.limit(),
                    r.lessonMillis(), r.measuredMillis(), r.withinMillis()),
                    (a, b) -> new ComplianceRow("*", a.quantity(), a.rule(), a.limit(), a.lessonMillis() + b.lessonMillis(),
                            a.measuredMillis() + b.measuredMillis(), a.withinMillis() + b.withinMillis()));
        }
        return List.copyOf(out.values());
    }

    /** Within the limits among all lesson time measured, over every row; NaN when nothing was measured. */
    public static double overallShare(List<ComplianceRow> rows) {
        long measured = rows.stream().mapToLong(ComplianceRow::measuredMillis).sum();
        long within = rows.stream().mapToLong(ComplianceRow::withinMillis).sum();
        return measured == 0 ? Double.NaN : (double) within / measured;
    }

    private static Optional<ComplianceLimit> limitFor(RuleBook book, String room, String device, Quantity quantity) {
        for (Rule rule : book.rulesFor(room, device, quantity)) {
            Optional<ComplianceLimit> limit = ComplianceLimit.of(rule);
            if (limit.isPresent()) {
                return limit;
            }
        }
        return Optional.empty();
    }

    private static Map<String, List<DeviceStep>> index(List<DeviceStep> steps) {
        Map<String, List<DeviceStep>> out = new HashMap<>();
        for (DeviceStep s : steps) {
            out.computeIfAbsent(s.room() + '\n' + s.device(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }
}

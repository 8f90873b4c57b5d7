package org.smartschool.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.routing.TopicRoute;
import org.smartschool.bridge.routing.TopicRouter;
import org.smartschool.gateway.alarm.SchoolRules;
import org.smartschool.gateway.config.RulesSettings;
import org.smartschool.gateway.outbox.Outbox;
import org.smartschool.gateway.outbox.OutboxLimits;
import org.smartschool.gateway.south.Delivery;
import org.smartschool.gateway.south.MessageIntake;
import org.smartschool.gateway.telemetry.GatewayMetrics;

/**
 * On demand, not a test: how fast the intake takes a burst into the outbox (a broker replaying a
 * night's backlog after a restart). Real codecs, the real outbox (SQLite WAL, synchronous=FULL,
 * redelivery digests, byte accounting), groups of 1000 device messages per transaction as the
 * south subscriber commits them. Prints readings per second; goal at least 50,000.
 *
 * <pre>
 * java ... org.smartschool.gateway.bench.OutboxIntakeBenchmark [DIR] [READINGS] [none|rules|both]
 * </pre>
 *
 * <p>{@code rules}: the intake judged by the school's rules ({@link SchoolRules}) as the gateway
 * runs it, every room a classroom so that every default rule judges (CO2 with its 15-minute mean,
 * temperature, humidity, light, the noise LAeq, PM2.5, stuck CO2): a track per rule and series, its
 * state written with each transaction, alarm events appended. {@code both} (the default) runs the
 * two in turn, round by round, so that they share the machine's load.
 */
public final class OutboxIntakeBenchmark {
    private static final int GROUP = 1000;

    private OutboxIntakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("outbox-bench");
        int readings = args.length > 1 ? Integer.parseInt(args[1]) : 294_000; // a multiple of 7
        TopicRouter router = new TopicRouter("thcs-le-loi", List.of(
                new TopicRoute("zigbee2mqtt/{room}/{device}", "zigbee2mqtt"),
                new TopicRoute("esphome/{room}/{device}/sensor/#", "esphome")), CodecRegistry.standard());
        System.out.printf("outbox intake benchmark: %,d readings per round, %d messages per transaction, outbox in %s%n",
                readings, GROUP, dir);
        String modeArg = args.length > 2 ? args[2] : "both";
        List<Boolean> modes = switch (modeArg) {
            case "none" -> List.of(false);
            case "rules" -> List.of(true);
            default -> List.of(false, true);
        };
        Map<String, String> classrooms = new HashMap<>();
        for (int r = 0; r < 40; r++) {
            classrooms.put("r" + (100 + r), "classroom");
        }
        RulesSettings settings = RulesSettings.defaults().withRoomKinds(classrooms);
        for (String kind : List.of("zigbee2mqtt (7 readings a message)", "esphome (1 reading a message)")) {
            boolean zigbee = kind.startsWith("zigbee2mqtt");
            double[][] rates = new double[2][4];
            for (int round = 0; round < 4; round++) {
                for (boolean withRules : modes) {
                    Path file = dir.resolve("bench-" + round + (zigbee ? "-z" : "-e") + (withRules ? "-r" : "") + ".db");
                    try (Outbox outbox = Outbox.open(file, OutboxLimits.defaults().withMaxRecords(10_000_000).withDisk(0, 0))) {
                        SchoolRules rules = withRules
                                ? SchoolRules.open(outbox, settings.toRuleBook(), settings.toLessonHours()) : null;
                        MessageIntake intake = new MessageIntake(router, outbox,
                                new GatewayMetrics(new SimpleMeterRegistry(), "gw-bench"), 64 * 1024, rules);
                        List<List<Delivery>> groups = burst(zigbee, readings);
                        long started = System.nanoTime();
                        for (List<Delivery> group : groups) {
                            intake.acceptDeliveries(group);
                        }
                        double seconds = (System.nanoTime() - started) / 1e9;
                        long alarms = rules == null ? 0 : rules.transitions();
                        if (outbox.size() != readings + alarms) {
                            throw new IllegalStateException("expected " + readings + " readings and " + alarms
                                    + " alarm events, the outbox holds " + outbox.size());
                        }
                        rates[withRules ? 1 : 0][round] = readings / seconds;
                        System.out.printf("  %s%s round %d: %,.0f readings/s (%.2f s, file %,d bytes%s)%n", kind,
                                withRules ? " with rules" : "", round, readings / seconds, seconds, Files.size(file),
                                rules == null ? "" : ", " + rules.trackCount() + " rule tracks, " + alarms + " alarm transitions");
                    }
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(Path.of(file + "-wal"));
                    Files.deleteIfExists(Path.of(file + "-shm"));
                    Files.deleteIfExists(Path.of(file + ".lock"));
                }
            }
            for (boolean withRules : modes) {
                double[] measured = Arrays.copyOfRange(rates[withRules ? 1 : 0], 1, 4); // round 0 warms the JIT up
                Arrays.sort(measured);
                System.out.printf("%s%s: median %,.0f readings/s (rounds 1-3: %,.0f to %,.0f)%n", kind,
                        withRules ? " with rules" : "", measured[measured.length / 2], measured[0], measured[measured.length - 1]);
            }
        }
    }

    /** A backlog as the broker would replay it: 40 rooms, messages of distinct values, in groups. */
    private static List<List<Delivery>> burst(boolean zigbee, int readings) {
        List<List<Delivery>> groups = new ArrayList<>();
        List<Delivery> group = new ArrayList<>(GROUP);
        long now = System.currentTimeMillis();
        int made = 0;
        for (int i = 0; made < readings; i++) {
            String room = "r" + (100 + i % 40);
            RawMessage message;
            if (zigbee) {
                String json = "{\"temperature\":" + (20 + i % 100 / 10.0) + ",\"humidity\":" + (40 + i % 50)
                        + ",\"co2\":" + (400 + i % 1600) + ",\"pm25\":" + (i % 80) + ",\"noise\":" + (30 + i % 40)
                        + ",\"illuminance\":" + (i % 900) + ",\"voc\":" + (i % 500) + "}";
                message = new RawMessage("zigbee2mqtt/" + room + "/air-1", null, json.getBytes(StandardCharsets.UTF_8), now + i);
                made += 7;
            } else {
                message = new RawMessage("esphome/" + room + "/env-1/sensor/co2/state", null,
                        Integer.toString(400 + i % 1600).getBytes(StandardCharsets.UTF_8), now + i);
                made += 1;
            }
            group.add(new Delivery(message, Integer.toString(i % 65_535 + 1), false));
            if (group.size() == GROUP) {
                groups.add(group);
                group = new ArrayList<>(GROUP);
            }
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }
}

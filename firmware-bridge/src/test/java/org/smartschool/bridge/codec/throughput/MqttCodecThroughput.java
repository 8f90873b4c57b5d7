package org.smartschool.bridge.codec.throughput;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.codec.esphome.EspHomeCodec;
import org.smartschool.bridge.codec.homie.HomieCodec;
import org.smartschool.bridge.codec.shellygen2.ShellyGen2Codec;
import org.smartschool.bridge.codec.tasmota.TasmotaCodec;
import org.smartschool.bridge.model.DeviceRef;

/**
 * Decode throughput of the Tasmota, ESPHome, Shelly Gen2 and Homie codecs on one thread, in
 * readings per second, with the bytes allocated per reading (a benchmark, not a test):
 * <pre>
 * mvn -B -q -o -pl firmware-bridge test-compile
 * java -cp firmware-bridge/target/classes:firmware-bridge/target/test-classes:$(cat cp.txt) \
 *     org.smartschool.bridge.codec.throughput.MqttCodecThroughput [seconds per codec] [codec name prefix]
 * </pre>
 * ({@code cp.txt} from {@code mvn -pl firmware-bridge dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
public final class MqttCodecThroughput {
    private static final DeviceRef DEVICE = new DeviceRef("thpt-le-loi", "room-101", "dev-1");

    private record Case(String name, Codec codec, List<RawMessage> messages) {
    }

    private MqttCodecThroughput() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        HomieCodec homie = new HomieCodec();
        homie.decode(message("homie/5/air/$description", "{\"homie\":\"5.0\",\"nodes\":{\"air\":{\"properties\":{"
                + "\"co2\":{\"datatype\":\"integer\",\"unit\":\"ppm\"},\"temperature\":{\"datatype\":\"float\",\"unit\":\"°C\"}}}}}"), DEVICE);
        List<Case> cases = List.of(
                new Case("tasmota SENSOR (SCD40 + BH1750, 4 readings)", new TasmotaCodec(), List.of(message("tele/x/SENSOR",
                        "{\"Time\":\"2024-01-01T10:31:09\",\"SCD40\":{\"CarbonDioxide\":1204,\"eCO2\":1235,\"Temperature\":28.8,"
                                + "\"Humidity\":47.5,\"DewPoint\":16.5},\"BH1750\":{\"Illuminance\":412},\"TempUnit\":\"C\"}"))),
                new Case("esphome sensor state (1 reading)", new EspHomeCodec(), List.of(
                        message("x/sensor/workshop_co2/state", "812"), message("x/sensor/workshop_temperature/state", "29.43"))),
                new Case("shelly-gen2 NotifyStatus (H&T, 3 readings)", new ShellyGen2Codec(), List.of(message("x/events/rpc",
                        "{\"src\":\"shellyplusht-08b61fcb7f3c\",\"dst\":\"shellyplusht-08b61fcb7f3c/events\",\"method\":\"NotifyStatus\","
                                + "\"params\":{\"ts\":1741572900.12,\"temperature:0\":{\"id\":0,\"tC\":24.3,\"tF\":75.7},"
                                + "\"humidity:0\":{\"id\":0,\"rh\":61.5},\"devicepower:0\":{\"id\":0,\"battery\":{\"V\":5.9,\"percent\":75},"
                                + "\"external\":{\"present\":false}}}}"))),
                new Case("homie v5 property value (1 reading)", homie, List.of(
                        message("homie/5/air/air/co2", "1180"), message("homie/5/air/air/temperature", "27.5"))));
        System.out.printf(Locale.ROOT, "%-48s %14s %16s%n", "codec / payload", "readings/s", "bytes/reading");
        String only = args.length > 1 ? args[1] : "";
        for (Case c : cases) {
            if (!c.name().startsWith(only)) {
                continue;
            }
            run(c, Math.min(seconds, 1), false); // warm-up
            run(c, seconds, true);
        }
    }

    private static void run(Case c, double seconds, boolean print) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long readings = 0;
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int i = 0;
        while (System.nanoTime() < deadline) {
            for (int k = 0; k < 1000; k++) {
                DecodeResult r = c.codec().decode(c.messages().get(i++ % c.messages().size()), DEVICE);
                readings += r.readings().size();
            }
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        if (print) {
            System.out.printf(Locale.ROOT, "%-48s %,14.0f %,16.0f%n", c.name(), readings / (elapsed / 1e9), (double) allocated / readings);
        }
    }

    private static RawMessage message(String topic, String payload) {
        return new RawMessage(topic, null, payload.getBytes(StandardCharsets.UTF_8), 1_741_572_900_000L);
    }
}

package org.smartschool.gateway.coap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;

/**
 * On demand, not a test: how many CoAP device POSTs the gateway answers with 2.04 (each one
 * committed to a real SQLite outbox first), with {@code devices} devices posting one SenML pack
 * after another (CON, the next after the answer).
 *
 * <pre>
 * ./mvnw -q -pl edge-gateway -am package -DskipTests
 * java -cp edge-gateway/target/test-classes:edge-gateway/target/edge-gateway.jar \
 *   org.smartschool.gateway.coap.CoapIntakeBenchmark 8 250      # devices, POSTs per device
 * </pre>
 */
public final class CoapIntakeBenchmark {
    private CoapIntakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perDevice = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        Path dir = Files.createTempDirectory("coap-bench");
        try (CoapFixture coap = new CoapFixture(dir, CoapFixture.settings(), 10_000_000)) {
            // warm-up: class loading, JIT, the SQLite file
            run(coap, 2, 50);
            long before = coap.outbox.size();
            long start = System.nanoTime();
            long[] latencies = run(coap, devices, perDevice);
            double seconds = (System.nanoTime() - start) / 1e9;
            long recorded = coap.outbox.size() - before;
            Arrays.sort(latencies);
            System.out.printf("%d devices x %d POSTs: %d readings committed in %.2f s = %.0f POSTs/s;"
                            + " answer latency p50 %.1f ms, p99 %.1f ms%n",
                    devices, perDevice, recorded, seconds, recorded / seconds,
                    latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6);
        }
    }

    private static long[] run(CoapFixture coap, int devices, int perDevice) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(devices);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                String path = "r" + (100 + d) + "/air";
                results.add(pool.submit(() -> {
                    CoapClient client = coap.plainClient(path);
                    long[] took = new long[perDevice];
                    for (int i = 0; i < perDevice; i++) {
                        long t0 = System.nanoTime();
                        CoapResponse response = client.post(CoapFixture.senmlJson("co2", "ppm", 400 + i % 1000),
                                CoapDevices.SENML_JSON);
                        took[i] = System.nanoTime() - t0;
                        if (response == null || response.getCode() != ResponseCode.CHANGED) {
                            throw new IllegalStateException("POST " + i + " of " + path + ": " + response);
                        }
                    }
                    return took;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> result : results) {
                for (long t : result.get()) {
                    all.add(t);
                }
            }
            return all.stream().mapToLong(Long::longValue).toArray();
        } finally {
            pool.shutdownNow();
        }
    }
}

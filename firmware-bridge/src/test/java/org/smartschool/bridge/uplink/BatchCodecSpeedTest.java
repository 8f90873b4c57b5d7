package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A province hub ingests 20,000 readings/s (DESIGN.md, "Scale"); one core must decode far more
 * than that. Prints the measured rates; asserts only the requirement, so a busy build machine
 * does not fail it.
 */
@Timeout(60)
class BatchCodecSpeedTest {
    private static final int PROVINCE_READINGS_PER_SECOND = 20_000;

    private final BatchCodec codec = new BatchCodec();

    @Test
    void oneThreadDecodesFarMoreThanAProvinceSends() throws Exception {
        Batch batch = SampleBatches.classroom(3);
        byte[] frame = codec.encode(batch);
        int readings = batch.readings().size();

        double encodePerSecond = readingsPerSecond(readings, () -> codec.encode(batch));
        double decodePerSecond = readingsPerSecond(readings, () -> codec.decode(frame));

        System.out.printf(Locale.ROOT, "readings per second on one thread: encode=%.0f decode=%.0f%n",
                encodePerSecond, decodePerSecond);
        assertThat(decodePerSecond).isGreaterThan(PROVINCE_READINGS_PER_SECOND);
        assertThat(encodePerSecond).isGreaterThan(PROVINCE_READINGS_PER_SECOND);
    }

    interface Work {
        Object run() throws Exception;
    }

    /** Warms up for 0.5 s, then counts batches done in 1 s. */
    private static double readingsPerSecond(int readingsPerBatch, Work work) throws Exception {
        Object sink = null;
        for (long end = System.nanoTime() + 500_000_000L; System.nanoTime() < end; ) {
            sink = work.run();
        }
        long start = System.nanoTime();
        long end = start + 1_000_000_000L;
        int batches = 0;
        while (System.nanoTime() < end) {
            sink = work.run();
            batches++;
        }
        assertThat(sink).isNotNull();
        return batches * (double) readingsPerBatch / ((System.nanoTime() - start) / 1e9);
    }
}

package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Measures bytes on the wire per reading (whole frame, events and ids included, divided by the
 * number of readings). docs/protocol.md quotes the printed line.
 */
@Timeout(30)
class BatchFrameSizeTest {
    private static final long SEED = 20250310L;
    private final BatchCodec codec = new BatchCodec();

    @Test
    void classroomBatchTakesAtMostEightBytesPerReading() throws Exception {
        Batch classroom = SampleBatches.classroom(SEED);
        Batch school = SampleBatches.schoolSnapshot(SEED);

        double classroomBytes = perReading(codec.encode(classroom).length, classroom);
        double schoolBytes = perReading(codec.encode(school).length, school);
        double senml = perReading(SenmlBaseline.compressed(classroom).length, classroom);
        double senmlRaw = perReading(SenmlBaseline.cbor(classroom).length, classroom);

        System.out.printf(Locale.ROOT, "bytes per reading: classroom=%.2f school=%.2f senml-baseline=%.2f"
                + " (senml-uncompressed=%.2f)%n", classroomBytes, schoolBytes, senml, senmlRaw);
        assertThat(classroom.readings()).hasSize(210);
        assertThat(school.readings()).hasSize(280);
        assertThat(classroomBytes).isLessThanOrEqualTo(8.0);
        assertThat(classroomBytes).isLessThan(senml);
    }

    private static double perReading(int bytes, Batch batch) {
        return (double) bytes / batch.readings().size();
    }
}

package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Measures bytes on the wire per reading: the whole frame (header, ids, string table and events
 * included) divided by the number of readings. docs/protocol.md quotes the printed lines, and
 * {@link ProtocolDocTest} checks that it still does.
 */
@Timeout(30)
class BatchFrameSizeTest {
    static final long SEED = 20250310L;

    /** The measured figures, and the lines printed for them. */
    record Sizes(double classroom, double school, double senml, int classroomBody, int classroomFrame,
                 int schoolMinuteReadings, int schoolMinuteFrame, double schoolMinute,
                 double senmlUncompressed, double senmlSchool, double senmlSchoolUncompressed) {

        String summary() {
            return String.format(Locale.ROOT, "bytes per reading: classroom=%.2f school=%.2f senml-baseline=%.2f",
                    classroom, school, senml);
        }

        String detail() {
            return String.format(Locale.ROOT, "classroom: body=%d bytes frame=%d bytes;"
                    + " school-minute: readings=%d frame=%d bytes bytes-per-reading=%.2f%n"
                    + "senml baseline detail: classroom-uncompressed=%.2f school=%.2f school-uncompressed=%.2f",
                    classroomBody, classroomFrame, schoolMinuteReadings, schoolMinuteFrame, schoolMinute,
                    senmlUncompressed, senmlSchool, senmlSchoolUncompressed);
        }
    }

    static Sizes measure() throws IOException {
        BatchCodec codec = new BatchCodec();
        Batch classroom = SampleBatches.classroom(SEED);
        Batch school = SampleBatches.schoolSnapshot(SEED);
        Batch schoolMinute = SampleBatches.school(SEED, 6);
        byte[] classroomFrame = codec.encode(classroom);
        byte[] schoolMinuteFrame = codec.encode(schoolMinute);
        return new Sizes(
                perReading(classroomFrame.length, classroom),
                perReading(codec.encode(school).length, school),
                perReading(SenmlBaseline.compressed(classroom).length, classroom),
                new BodyWriter(classroom).write(new CBORFactory()).length,
                classroomFrame.length,
                schoolMinute.readings().size(),
                schoolMinuteFrame.length,
                perReading(schoolMinuteFrame.length, schoolMinute),
                perReading(SenmlBaseline.cbor(classroom).length, classroom),
                perReading(SenmlBaseline.compressed(school).length, school),
                perReading(SenmlBaseline.cbor(school).length, school));
    }

    @Test
    void classroomBatchTakesAtMostEightBytesPerReading() throws Exception {
        Sizes sizes = measure();

        System.out.println(sizes.summary());
        System.out.println(sizes.detail());
        assertThat(SampleBatches.classroom(SEED).readings()).hasSize(210);
        assertThat(SampleBatches.schoolSnapshot(SEED).readings()).hasSize(280);
        assertThat(sizes.classroom()).isLessThanOrEqualTo(8.0);
        assertThat(sizes.classroom()).isLessThan(sizes.senml());
        assertThat(sizes.school()).isLessThan(sizes.senmlSchool());
    }

    private static double perReading(int bytes, Batch batch) {
        return (double) bytes / batch.readings().size();
    }
}

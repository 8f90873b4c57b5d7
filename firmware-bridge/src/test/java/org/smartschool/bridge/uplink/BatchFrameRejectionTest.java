package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.smartschool.bridge.uplink.SampleBatches.START;
import static org.smartschool.bridge.uplink.SampleBatches.batch;
import static org.smartschool.bridge.uplink.SampleBatches.reading;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/** Frames damaged in transit or built by a stranger: refused whole, never decoded into something else. */
@Timeout(120)
class BatchFrameRejectionTest {
    private final BatchCodec codec = new BatchCodec();

    private final Batch classroom = SampleBatches.classroom(11);
    private final byte[] classroomFrame = codec.encode(classroom);

    private final Batch small = batch(List.of(
            reading("r1", "co2-1", Quantity.CO2, 612, START),
            reading("r1", "co2-1", Quantity.TEMPERATURE, 29.4, START),
            reading("r1", "co2-1", Quantity.CO2, 615, START + 10_000)), List.of());
    private final byte[] smallFrame = codec.encode(small);

    @Test
    void everyTruncationOfARealisticFrameIsRefused() {
        for (int length = 0; length < classroomFrame.length; length++) {
            byte[] cut = Arrays.copyOf(classroomFrame, length);

            assertThatThrownBy(() -> codec.decode(cut)).as("frame cut to %d bytes", length)
                    .isInstanceOf(BatchFormatException.class)
                    .hasMessageMatching("(?s).*(truncated|corrupt).*");
        }
    }

    @Test
    void truncationInsideTheZlibStreamSaysTruncated() {
        byte[] cut = Arrays.copyOf(classroomFrame, classroomFrame.length / 2);

        assertThatThrownBy(() -> codec.decode(cut)).isInstanceOf(BatchFormatException.class)
                .hasMessageContaining("truncated frame");
    }

    @Test
    void everyBitFlipOfASmallFrameIsRefusedOrChangesNothing() throws Exception {
        int refused = 0;
        for (int i = 0; i < smallFrame.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = smallFrame.clone();
                damaged[i] ^= (byte) (1 << bit);
                refused += refusedOrIdentical(damaged, small, "bit " + bit + " of byte " + i);
            }
        }
        assertThat(refused).as("flips refused").isGreaterThan(smallFrame.length * 8 * 9 / 10);
    }

    @Test
    void everyByteOfARealisticFrameDamagedIsRefusedOrChangesNothing() throws Exception {
        int[] masks = {0x01, 0x10, 0x80, 0xff, 0x5a};
        for (int i = 0; i < classroomFrame.length; i++) {
            for (int mask : masks) {
                byte[] damaged = classroomFrame.clone();
                damaged[i] ^= (byte) mask;
                refusedOrIdentical(damaged, classroom, "byte " + i + " xor " + mask);
            }
        }
    }

    /** @return 1 when refused, 0 when it decoded (in which case it must be the original) */
    private int refusedOrIdentical(byte[] damaged, Batch original, String what) throws Exception {
        Throwable thrown = catchThrowable(() -> codec.decode(damaged));
        if (thrown != null) {
            assertThat(thrown).as(what).isInstanceOf(BatchFormatException.class);
            return 1;
        }
        assertThat(codec.decode(damaged)).as("%s decoded into a different batch", what).isEqualTo(codec.decode(codec.encode(original)));
        return 0;
    }

    @Test
    void aFrameOfAnotherFormatIsRefusedByItsMagic() {
        byte[] json = "{\"readings\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(json)).isInstanceOf(BatchFormatException.class)
                .hasMessageContaining("not a batch frame").hasMessageContaining("0x7b 0x22");
    }

    @Test
    void aNewerVersionIsRefusedNamingIt() {
        byte[] v2 = classroomFrame.clone();
        v2[2] = 2;

        assertThatThrownBy(() -> codec.decode(v2)).isInstanceOf(BatchFormatException.class)
                .hasMessage("unsupported batch frame version 2: this decoder reads version 1");
    }

    @Test
    void versionZeroAndHighVersionsAreRefusedNamingThem() {
        for (int version : new int[] {0, 255}) {
            byte[] frame = classroomFrame.clone();
            frame[2] = (byte) version;

            assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(BatchFormatException.class)
                    .hasMessageContaining("version " + version);
        }
    }

    @Test
    void aFrameOverTheSizeLimitIsRefusedAsTooLarge() {
        byte[] big = new byte[BatchCodec.MAX_FRAME_BYTES + 1];
        System.arraycopy(classroomFrame, 0, big, 0, classroomFrame.length);

        BatchFormatException e = (BatchFormatException) catchThrowable(() -> codec.decode(big));

        assertThat(e.getMessage()).isEqualTo("frame of 1048577 bytes exceeds MAX_FRAME_BYTES (1048576)");
        assertThat(e.isTooLarge()).isTrue();
    }

    @Test
    void aZipBombIsRefusedNamingTheInflatedLimit() {
        byte[] zeros = new byte[BatchCodec.MAX_INFLATED_BYTES + 1024];
        byte[] bomb = TestFrames.frame(zeros);
        assertThat(bomb.length).isLessThan(BatchCodec.MAX_FRAME_BYTES);

        BatchFormatException e = (BatchFormatException) catchThrowable(() -> codec.decode(bomb));

        assertThat(e.getMessage()).contains("MAX_INFLATED_BYTES (16777216)");
        assertThat(e.isTooLarge()).isTrue();
    }

    @Test
    void bytesAfterTheZlibStreamAreRefused() {
        byte[] padded = TestFrames.concat(classroomFrame, new byte[] {0});

        assertThatThrownBy(() -> codec.decode(padded)).isInstanceOf(BatchFormatException.class)
                .hasMessage("corrupt frame: 1 bytes after the end of the zlib stream");
    }

    @Test
    void aWrongChecksumIsRefused() {
        byte[] damaged = classroomFrame.clone();
        damaged[damaged.length - 1] ^= 1;

        assertThatThrownBy(() -> codec.decode(damaged)).isInstanceOf(BatchFormatException.class)
                .hasMessageContaining("corrupt frame: zlib stream invalid (incorrect data check)");
    }

    @Test
    void aMissingFrameIsRefused() {
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(BatchFormatException.class).hasMessage("no frame");
    }

    @Test
    void randomGarbageIsRefusedWithBatchFormatExceptionOnly() {
        Random random = new Random(31337);
        for (int round = 0; round < 5_000; round++) {
            byte[] garbage = new byte[random.nextInt(400)];
            random.nextBytes(garbage);
            if (round % 2 == 0 && garbage.length >= 5) {
                // Past the header and the zlib header, to reach the inflater and the parser.
                System.arraycopy(new byte[] {'S', 'B', 1, 0x78, (byte) 0x9c}, 0, garbage, 0, 5);
            }
            Throwable thrown = catchThrowable(() -> codec.decode(garbage));

            assertThat(thrown).as("round %d", round).isInstanceOf(BatchFormatException.class);
        }
    }

    @Test
    void randomCborBodiesInValidZlibAreRefusedWithBatchFormatExceptionOnly() {
        Random random = new Random(4242);
        byte[] valid = TestFrames.cbor(TestFrames.validBody());
        for (int round = 0; round < 5_000; round++) {
            byte[] body = valid.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            byte[] frame = TestFrames.frame(Arrays.copyOf(body, body.length - random.nextInt(3)));

            Throwable thrown = catchThrowable(() -> codec.decode(frame));

            if (thrown != null) {
                assertThat(thrown).as("round %d", round).isInstanceOf(BatchFormatException.class);
            }
        }
    }

    @Test
    void theEncoderRefusesABatchOverTheRecordLimit() {
        List<Reading> readings = new ArrayList<>(BatchCodec.MAX_RECORDS + 1);
        for (int i = 0; i <= BatchCodec.MAX_RECORDS; i++) {
            readings.add(reading("r1", "d1", Quantity.CO2, 400, START + i));
        }
        Batch tooMany = batch(readings, List.of());

        assertThatThrownBy(() -> codec.encode(tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100001 records, more than MAX_RECORDS (100000)");
    }

    @Test
    void aBatchAtTheRecordLimitRoundTrips() throws Exception {
        List<Reading> readings = new ArrayList<>(BatchCodec.MAX_RECORDS);
        for (int i = 0; i < BatchCodec.MAX_RECORDS; i++) {
            readings.add(reading("r1", "d" + (i % 100), Quantity.CO2, 400 + i % 1000, START + i));
        }
        Batch atLimit = batch(readings, List.of());

        assertThat(codec.decode(codec.encode(atLimit)).readings()).hasSize(BatchCodec.MAX_RECORDS);
    }
}

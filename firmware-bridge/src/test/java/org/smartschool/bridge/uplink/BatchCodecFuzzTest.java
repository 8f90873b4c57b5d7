package org.smartschool.bridge.uplink;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.Reading;

/**
 * Coverage-guided fuzzing of {@link BatchCodec#decode}, what the hub runs on every frame a gateway sends. For
 * any frame: a whole {@link Batch} or a {@link BatchFormatException} with a one-line message, never another
 * exception; a decoded batch holds only finite readings in canonical units, and encodes back to a frame that
 * decodes to the same batch. Plausible ranges are the codecs' promise, not the wire format's, so they are not
 * checked here.
 *
 * <p>The first input byte says what the rest is: even, a whole frame as sent; odd, a CBOR body that is put in
 * a valid frame (header and zlib) first, since random bytes seldom survive the zlib checksum and would
 * otherwise never reach the body reader. Seeds in
 * {@code src/test/resources/org/smartschool/bridge/uplink/BatchCodecFuzzTestInputs/decode/}: the sample
 * classroom and school batches and the hand-built bodies of the rejection tests. Fuzz on demand with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl firmware-bridge test -Dtest='BatchCodecFuzzTest' -Djazzer.max_duration=10m}.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BatchCodecFuzzTest {
    private static final int MAX_MESSAGE_LENGTH = 1_000;

    private final BatchCodec codec = new BatchCodec();

    @FuzzTest(maxDuration = "2m")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        byte[] frame = (input[0] & 1) == 0 ? rest : TestFrames.frame(rest);
        Batch batch;
        try {
            batch = codec.decode(frame);
        } catch (BatchFormatException e) {
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.indexOf('\n') >= 0 || message.length() > MAX_MESSAGE_LENGTH) {
                throw new AssertionError("refusal without a one-line message of bounded length: " + message, e);
            }
            return;
        }
        for (Reading r : batch.readings()) {
            if (!Double.isFinite(r.value()) || !r.unit().equals(r.quantity().unit())) {
                throw new AssertionError("decoded reading is not finite or not in its canonical unit: " + r);
            }
        }
        Batch again;
        try {
            again = codec.decode(codec.encode(batch));
        } catch (BatchFormatException | RuntimeException e) {
            throw new AssertionError("a decoded batch does not survive encode and decode: " + batch.batchId(), e);
        }
        if (!again.equals(batch)) {
            throw new AssertionError("batch " + batch.batchId() + " changed in an encode-decode round trip:\n"
                    + describe(batch) + "\n" + describe(again));
        }
    }

    private static String describe(Batch batch) {
        StringBuilder out = new StringBuilder(batch.batchId() + " " + batch.gatewayId() + " " + batch.school());
        for (Reading r : batch.readings()) {
            out.append("\n  ").append(r);
        }
        for (DeviceEvent e : batch.events()) {
            out.append("\n  ").append(e);
        }
        return out.toString();
    }
}

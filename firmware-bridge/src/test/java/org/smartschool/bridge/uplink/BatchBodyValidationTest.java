package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smartschool.bridge.uplink.TestFrames.event;
import static org.smartschool.bridge.uplink.TestFrames.frame;
import static org.smartschool.bridge.uplink.TestFrames.group;
import static org.smartschool.bridge.uplink.TestFrames.list;
import static org.smartschool.bridge.uplink.TestFrames.series;
import static org.smartschool.bridge.uplink.TestFrames.validBody;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

/**
 * Bodies that are well-formed CBOR inside an intact zlib stream but break a rule of the format:
 * each is refused whole, with the path to what is wrong.
 */
@Timeout(30)
class BatchBodyValidationTest {
    private final BatchCodec codec = new BatchCodec();

    private void assertRefused(Object body, String message) {
        assertThatThrownBy(() -> codec.decode(frame(body))).isInstanceOf(BatchFormatException.class)
                .hasMessage(message);
    }

    @Test
    void theHandBuiltValidBodyDecodesToWhatTheDocSays() throws Exception {
        Batch batch = codec.decode(frame(validBody()));

        assertThat(batch.batchId()).isEqualTo("gw1-1-5");
        assertThat(batch.gatewayId()).isEqualTo("gw1");
        assertThat(batch.school()).isEqualTo("s1");
        assertThat(batch.readings()).containsExactly(
                new Reading("s1", "r1", "d1", Quantity.CO2, 612, "ppm", SampleBatches.START),
                new Reading("s1", "r1", "d1", Quantity.CO2, 615, "ppm", SampleBatches.START + 10_000),
                new Reading("s1", "r1", "d1", Quantity.TEMPERATURE, 29.4, "Cel", SampleBatches.START),
                new Reading("s1", "r1", "d1", Quantity.TEMPERATURE, 29.5, "Cel", SampleBatches.START + 10_000));
        assertThat(batch.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.DOOR_OPEN);
            assertThat(e.timestamp()).isEqualTo(SampleBatches.START + 20);
            assertThat(e.attributes()).containsExactly(Map.entry("reader", "in"));
        });
    }

    @Test
    void aMissingKeyIsNamed() {
        Map<Object, Object> body = validBody();
        body.remove(7);

        assertRefused(body, "events: missing key 7 (events)");
    }

    @Test
    void keysOutOfOrderAreRefused() {
        Map<Object, Object> body = new LinkedHashMap<>();
        Map<Object, Object> valid = validBody();
        for (int key : new int[] {2, 1, 3, 4, 5, 6, 7}) {
            body.put(key, valid.get(key));
        }

        assertRefused(body, "batchId: found key 2 (gateway) where key 1 (batchId) belongs:"
                + " keys 1-7 appear once each, in ascending order");
    }

    @Test
    void anUnknownKeyIsRefusedNotSkipped() {
        Map<Object, Object> body = validBody();
        body.put(8, "later");

        assertRefused(body, "body: unexpected key 8 after key 7: version 1 has keys 1-7");
    }

    @Test
    void aTextKeyThatLooksLikeANumberIsRefused() {
        Map<Object, Object> body = new LinkedHashMap<>();
        validBody().forEach((k, v) -> body.put(k.equals(1) ? "1" : k, v));

        assertRefused(body, "batchId: map key '1' is not an unsigned integer");
    }

    @Test
    void trailingDataAfterTheBodyIsRefused() {
        byte[] body = TestFrames.concat(TestFrames.cbor(validBody()), new byte[] {0x00});

        assertThatThrownBy(() -> codec.decode(frame(body))).isInstanceOf(BatchFormatException.class)
                .hasMessage("body: trailing data after the CBOR body");
    }

    @Test
    void badBatchGatewayAndSchoolIdsAreNamed() {
        Map<Object, Object> body = validBody();
        body.put(1, "");
        assertRefused(body, "batchId: batch id must be 1-128 characters, found 0");

        body = validBody();
        body.put(2, "gw/1");
        assertRefused(body, "gateway: invalid gateway id 'gw/1': use 1-64 letters, digits, '.', '_' or '-',"
                + " starting with a letter or digit");

        body = validBody();
        body.put(3, 17);
        assertRefused(body, "school: expected a text string, found an integer");
    }

    @Test
    void anInvalidIdInTheStringTableIsNamed() {
        Map<Object, Object> body = validBody();
        body.put(5, list("r1", "bad id"));

        assertRefused(body, "strings[1]: invalid room or device id 'bad id'");
    }

    @Test
    void aStringIndexOutsideTheTableIsRefused() {
        Map<Object, Object> body = validBody();
        group(body).set(1, 2);

        assertRefused(body, "groups[0].device: string index 2 outside the string table of 2");
    }

    @Test
    void anUnknownQuantityNumberIsRefused() {
        Map<Object, Object> body = validBody();
        series(body, 1).set(0, 99);

        assertRefused(body, "groups[0].series[1].quantity: unknown quantity number 99");
    }

    @Test
    void aQuantityTwiceInOneGroupIsRefused() {
        Map<Object, Object> body = validBody();
        series(body, 1).set(0, 0);

        assertRefused(body, "groups[0].series[1]: quantity co2 appears twice in one group");
    }

    @Test
    void fewerValuesThanTimesAreRefused() {
        Map<Object, Object> body = validBody();
        series(body, 1).set(2, list(294));

        assertRefused(body, "groups[0].series[1].values[1]: the group has 2 times but this series 1 values");
    }

    @Test
    void moreValuesThanTimesAreRefused() {
        Map<Object, Object> body = validBody();
        series(body, 0).set(2, list(612, 3, 3));

        assertRefused(body, "groups[0].series[0].values: the group has 2 times but this series more values");
    }

    @Test
    void anExponentOutOfRangeIsRefused() {
        Map<Object, Object> body = validBody();
        series(body, 1).set(1, 1);
        assertRefused(body, "groups[0].series[1].exponent: exponent 1 outside -22..0");

        series(body, 1).set(1, -23);
        assertRefused(body, "groups[0].series[1].exponent: exponent -23 outside -22..0");
    }

    @Test
    void aMantissaBeyondTwoToThe53IsRefused() {
        Map<Object, Object> body = validBody();
        series(body, 0).set(2, list((1L << 53) + 1, -1));

        assertRefused(body, "groups[0].series[0].values[0]: mantissa 9007199254740993 exceeds 2^53");
    }

    @Test
    void anIntegerOutsideTheSigned64BitRangeIsRefused() {
        Map<Object, Object> body = validBody();
        series(body, 0).set(2, list(BigInteger.ONE.shiftLeft(64), 3));

        assertRefused(body, "groups[0].series[0].values[0]: integer outside the 64-bit signed range");
    }

    @Test
    void mantissaDeltasThatOverflowAreRefused() {
        Map<Object, Object> body = validBody();
        series(body, 0).set(2, list(1L << 53, Long.MAX_VALUE));

        assertRefused(body, "groups[0].series[0].values[1]: mantissa overflows");
    }

    @Test
    void anIntegerWhereAFloatBelongsIsRefused() {
        Map<Object, Object> body = validBody();
        series(body, 1).set(1, null);

        assertRefused(body, "groups[0].series[1].values[0]: expected a floating-point value (the exponent is null),"
                + " found an integer");
    }

    @Test
    void aNonFiniteFloatIsRefused() {
        Map<Object, Object> body = validBody();
        series(body, 1).set(1, null);
        series(body, 1).set(2, list(29.4, Double.NaN));

        assertRefused(body, "groups[0].series[1].values[1]: value is not finite: NaN");
    }

    @Test
    void singlePrecisionFloatsAreReadExactly() throws Exception {
        Map<Object, Object> body = validBody();
        series(body, 1).set(1, null);
        series(body, 1).set(2, list(new TestFrames.Float32(29.5f), 29.25));

        Batch batch = codec.decode(frame(body));

        assertThat(batch.readings()).extracting(Reading::value).containsExactly(612.0, 615.0, 29.5, 29.25);
    }

    @Test
    void aTimeThatIsNotAPositiveEpochMillisecondIsRefused() {
        Map<Object, Object> body = validBody();
        group(body).set(2, list(0, -SampleBatches.START));

        assertRefused(body, "groups[0].times[1]: time 0 is not a positive epoch millisecond");
    }

    @Test
    void aTimeThatOverflowsIsRefused() {
        Map<Object, Object> body = validBody();
        group(body).set(2, list(0, Long.MAX_VALUE));

        assertRefused(body, "groups[0].times[1]: time overflows");
    }

    @Test
    void anEmptyGroupIsRefused() {
        Map<Object, Object> body = validBody();
        group(body).set(2, list());
        assertRefused(body, "groups[0].times: a group has at least one time");

        body = validBody();
        group(body).set(3, list());
        assertRefused(body, "groups[0]: a group has at least one series");
    }

    @Test
    void extraElementsAreRefused() {
        Map<Object, Object> body = validBody();
        group(body).add(0);
        assertRefused(body, "groups[0]: a group has exactly 4 elements, found more");

        body = validBody();
        series(body, 0).add(0);
        assertRefused(body, "groups[0].series[0]: a series has exactly 3 elements, found more");

        body = validBody();
        event(body).add(0);
        assertRefused(body, "events[0]: an event has exactly 6 elements, found more");
    }

    @Test
    void missingElementsAreRefused() {
        Map<Object, Object> body = validBody();
        body.put(6, list(list(0, 1)));

        assertRefused(body, "groups[0].times: expected an array of time deltas, found the end of an array (too few elements)");
    }

    @Test
    void cborTagsAreRefused() {
        Map<Object, Object> body = validBody();
        body.put(4, new TestFrames.Tagged(1, SampleBatches.START));

        assertRefused(body, "baseTime: unexpected CBOR tag 1: version 1 uses no tags");
    }

    @Test
    void anUnknownEventTypeIsRefused() {
        Map<Object, Object> body = validBody();
        event(body).set(1, 42);

        assertRefused(body, "events[0].type: unknown event type number 42");
    }

    @Test
    void aBlankEventIdIsRefused() {
        Map<Object, Object> body = validBody();
        event(body).set(0, " ");

        assertRefused(body, "events[0]: event of device 'd1' has no valid id");
    }

    @Test
    void attributesMustBeTextToTextWithoutRepeats() {
        Map<Object, Object> body = validBody();
        Map<Object, Object> attributes = new LinkedHashMap<>();
        attributes.put("uid", 1234);
        event(body).set(5, attributes);
        assertRefused(body, "events[0].attributes: attribute 'uid' is not a text string but an integer");

        attributes = new LinkedHashMap<>();
        attributes.put(5, "five");
        event(body).set(5, attributes);
        assertRefused(body, "events[0].attributes: attribute names are text strings, found another key type");
    }

    @Test
    void aRepeatedAttributeIsRefusedWithoutQuotingItsValue() {
        byte[] head = TestFrames.cbor(validBody());
        // Replace the attribute map {"reader": "in"} with {"uid": "A", "uid": "B"} at the byte level.
        byte[] attributes = TestFrames.cbor(Map.of("reader", "in"));
        byte[] repeated = {(byte) 0xa2, 0x63, 'u', 'i', 'd', 0x61, 'A', 0x63, 'u', 'i', 'd', 0x61, 'B'};
        int at = indexOf(head, attributes);
        byte[] body = TestFrames.concat(java.util.Arrays.copyOf(head, at), repeated);

        assertThatThrownBy(() -> codec.decode(frame(body))).isInstanceOf(BatchFormatException.class)
                .hasMessage("events[0].attributes: attribute 'uid' appears twice");
    }

    @Test
    void anEventTimeThatIsNotPositiveIsRefused() {
        Map<Object, Object> body = validBody();
        event(body).set(4, -SampleBatches.START);

        assertRefused(body, "events[0].time: time 0 is not a positive epoch millisecond");
    }

    @Test
    void moreRecordsThanTheLimitAreRefusedAsTooLarge() {
        Map<Object, Object> body = validBody();
        List<Object> times = list();
        for (int i = 0; i <= BatchCodec.MAX_RECORDS; i++) {
            times.add(1);
        }
        group(body).set(2, times);

        assertThatThrownBy(() -> codec.decode(frame(body))).isInstanceOf(BatchFormatException.class)
                .hasMessage("groups[0].times[100000]: more than MAX_RECORDS (100000) readings and events in one batch")
                .matches(e -> ((BatchFormatException) e).isTooLarge());
    }

    @Test
    void aBodyThatIsNotAMapIsRefused() {
        assertRefused(List.of(1, 2), "body: expected a map, found an array");
        assertThatThrownBy(() -> codec.decode(frame(new byte[0]))).isInstanceOf(BatchFormatException.class)
                .hasMessage("body: the body ends early");
    }

    @Test
    void aTextStringOfInvalidUtf8IsRefusedRatherThanDecodedIntoLoneSurrogates() {
        // found by BatchCodecFuzzTest: the CBOR parser decoded lead byte 0xF6 (never valid UTF-8) into two unpaired
        // surrogates, and the batch then could not be encoded again (stored, forwarded) by anyone
        Map<Object, Object> body = validBody();
        body.put(1, "gw1-1-5wxyz");
        byte[] badId = TestFrames.cbor(body);
        badId[indexOf(badId, "wxyz".getBytes(StandardCharsets.US_ASCII))] = (byte) 0xf6;
        Map<Object, Object> attribute = validBody();
        TestFrames.event(attribute).set(5, Map.of("reader", "wxyz"));
        byte[] badAttribute = TestFrames.cbor(attribute);
        badAttribute[indexOf(badAttribute, "wxyz".getBytes(StandardCharsets.US_ASCII))] = (byte) 0xf6;

        assertThatThrownBy(() -> codec.decode(frame(badId))).isInstanceOf(BatchFormatException.class)
                .hasMessage("batchId: a text string is not valid UTF-8");
        assertThatThrownBy(() -> codec.decode(frame(badAttribute))).isInstanceOf(BatchFormatException.class)
                .hasMessageEndingWith(": a text string is not valid UTF-8");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}

package org.smartschool.bridge.codec.cameraanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.codec.Codec;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.codec.DecodeResult;
import org.smartschool.bridge.codec.RawMessage;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CameraAnalyticsCodecTest {
    private static final DeviceRef CAMERA = new DeviceRef("thpt-chu-van-an", "hall-a", "cam-hall-a");
    private static final String WHO = "thpt-chu-van-an/hall-a/cam-hall-a";
    /** 2024-09-05T00:05:30Z = 07:05:30 in Hanoi. */
    private static final long RECEIVED = Instant.parse("2024-09-05T00:05:30Z").toEpochMilli();
    private static final long AT_0705_HANOI = Instant.parse("2024-09-05T00:05:00Z").toEpochMilli();

    private final CameraAnalyticsCodec codec = new CameraAnalyticsCodec();

    private DecodeResult decode(String payload) {
        return decode(payload.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(byte[] payload) {
        return codec.decode(new RawMessage("cameras/cam-hall-a/analytics", "application/json", payload, RECEIVED), CAMERA);
    }

    private static DeviceEvent onlyEvent(DecodeResult result) {
        assertThat(result.problems()).isEmpty();
        assertThat(result.readings()).isEmpty();
        assertThat(result.events()).hasSize(1);
        DeviceEvent event = result.events().get(0);
        assertThat(event.deviceRef()).isEqualTo(CAMERA);
        return event;
    }

    private static DecodeProblem onlyProblem(DecodeResult result) {
        assertThat(result.events()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        DecodeProblem problem = result.problems().get(0);
        assertThat(problem.device()).isEqualTo(WHO);
        return problem;
    }

    @Test
    void mapsAPeopleCountWithItsOwnTimeToAPeopleCountEvent() {
        DeviceEvent event = onlyEvent(decode(
                "{\"type\":\"people_count\",\"count\":24,\"in\":31,\"out\":7,\"zone\":\"classroom\","
                        + "\"time\":\"2024-09-05T07:05:00+07:00\",\"camera\":\"cam-hall-a\"}"));

        assertThat(event.type()).isEqualTo(EventType.PEOPLE_COUNT);
        assertThat(event.timestamp()).isEqualTo(AT_0705_HANOI);
        assertThat(event.attributes()).containsExactlyInAnyOrderEntriesOf(
                Map.of("kind", "people_count", "count", "24", "in", "31", "out", "7", "zone", "classroom"));
    }

    @Test
    void acceptsAnAxisLiveSumRenamedWithAnOffsetTime() {
        // AXIS People Counter live-sum.json: {"serial":"00408CAC512B","name":"Exit south","timestamp":"20170503112756",
        // "in":12,"out":318} (https://developer.axis.com/vapix/applications/people-counter-api); its local
        // timestamp becomes "time" with the camera's offset.
        DeviceEvent event = onlyEvent(decode("{\"type\":\"people_count\",\"serial\":\"00408CAC512B\",\"name\":\"Exit south\","
                + "\"in\":12,\"out\":318,\"time\":\"2017-05-03T11:27:56+07:00\"}"));

        assertThat(event.timestamp()).isEqualTo(Instant.parse("2017-05-03T04:27:56Z").toEpochMilli());
        assertThat(event.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("kind", "people_count", "in", "12", "out", "318"));
    }

    @Test
    void mapsALineCrossingToInOrOutWithoutACount() {
        DeviceEvent in = onlyEvent(decode(
                "{\"type\":\"line_crossing\",\"direction\":\"in\",\"line\":\"door\",\"time\":\"2024-09-05T00:04:12Z\"}"));
        DeviceEvent out = onlyEvent(decode("{\"type\":\"line_crossing\",\"direction\":\"out\",\"count\":2,\"line\":\"door\"}"));

        assertThat(in.type()).isEqualTo(EventType.PEOPLE_COUNT);
        assertThat(in.timestamp()).isEqualTo(Instant.parse("2024-09-05T00:04:12Z").toEpochMilli());
        assertThat(in.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("kind", "line_crossing", "in", "1", "line", "door"));
        assertThat(out.timestamp()).isEqualTo(RECEIVED);
        assertThat(out.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("kind", "line_crossing", "out", "2", "line", "door"));
    }

    @Test
    void mapsOccupancyFromOccupiedOrFromTheCount() {
        DeviceEvent both = onlyEvent(decode("{\"type\":\"occupancy\",\"occupied\":true,\"count\":3,\"zone\":\"lab bench\"}"));
        DeviceEvent fromCount = onlyEvent(decode("{\"type\":\"occupancy\",\"count\":0}"));
        DeviceEvent flagOnly = onlyEvent(decode("{\"type\":\"occupancy\",\"occupied\":false}"));

        assertThat(both.type()).isEqualTo(EventType.OCCUPANCY);
        assertThat(both.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("occupied", "true", "count", "3", "zone", "lab bench"));
        assertThat(fromCount.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("occupied", "false", "count", "0"));
        assertThat(flagOnly.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("occupied", "false"));
    }

    @Test
    void mapsCameraStatusToOnlineAndOfflineEvents() {
        DeviceEvent offline = onlyEvent(decode(
                "{\"type\":\"status\",\"state\":\"offline\",\"reason\":\"video_loss\",\"time\":\"2024-09-05T07:05:00+07:00\"}"));
        DeviceEvent online = onlyEvent(decode("{\"type\":\"status\",\"state\":\"online\"}"));

        assertThat(offline.type()).isEqualTo(EventType.DEVICE_OFFLINE);
        assertThat(offline.timestamp()).isEqualTo(AT_0705_HANOI);
        assertThat(offline.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("reason", "video_loss"));
        assertThat(online.type()).isEqualTo(EventType.DEVICE_ONLINE);
        assertThat(online.attributes()).isEmpty();
    }

    @Test
    void acceptsFrigatesPlainAvailabilityAndPersonCount() {
        // https://docs.frigate.video/integrations/mqtt/ : frigate/available publishes "online"/"offline";
        // frigate/<camera_name>/<object_name> publishes the count of objects, e.g. frigate/hall_a/person = 3.
        DeviceEvent online = onlyEvent(decode("online"));
        DeviceEvent offline = onlyEvent(decode("offline\n"));
        DeviceEvent count = onlyEvent(decode("3"));

        assertThat(online.type()).isEqualTo(EventType.DEVICE_ONLINE);
        assertThat(online.timestamp()).isEqualTo(RECEIVED);
        assertThat(offline.type()).isEqualTo(EventType.DEVICE_OFFLINE);
        assertThat(count.type()).isEqualTo(EventType.PEOPLE_COUNT);
        assertThat(count.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("kind", "people_count", "count", "3"));
    }

    @Test
    void ignoresCountsOfObjectsOtherThanPeopleOnPurpose() {
        DecodeResult cars = decode("{\"type\":\"line_crossing\",\"direction\":\"in\",\"object\":\"car\"}");
        DeviceEvent people = onlyEvent(decode("{\"type\":\"line_crossing\",\"direction\":\"in\",\"object\":\"person\"}"));

        assertThat(cars.ignored()).isTrue();
        assertThat(cars.events()).isEmpty();
        assertThat(people.attributes()).containsEntry("in", "1");
    }

    @Test
    void keepsTheGoodCountsOfAPeopleCountWithABadOne() {
        DecodeResult result = decode("{\"type\":\"people_count\",\"count\":24,\"in\":31,\"out\":-3}");

        assertThat(result.events()).singleElement().satisfies(e -> assertThat(e.attributes())
                .containsExactlyInAnyOrderEntriesOf(Map.of("kind", "people_count", "count", "24", "in", "31")));
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.out");
            assertThat(p.device()).isEqualTo(WHO);
            assertThat(p.message()).contains("0..10000");
        });
    }

    @Test
    void rejectsCountsThatAreNotWholePlausibleNumbers() {
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"count\":2.5}")).field()).isEqualTo("$.count");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"count\":\"24\"}")).message()).contains("string");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"count\":NaN}")).message()).contains("NaN");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"count\":Infinity}")).field()).isEqualTo("$.count");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"count\":1e400}")).field()).isEqualTo("$.count");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"in\":123456789012345678901234567890}")).field())
                .isEqualTo("$.in");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"count\":10001}")).message()).contains("0..10000");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\",\"count\":null}")).field()).isEqualTo("$.count");
        assertThat(onlyProblem(decode("{\"type\":\"people_count\"}")).message()).contains("at least one of");
        assertThat(onlyProblem(decode("-1")).field()).isEqualTo("$");
    }

    @Test
    void rejectsUnknownTypesDirectionsStatesAndContradictions() {
        assertThat(onlyProblem(decode("{\"count\":3}")).field()).isEqualTo("$.type");
        assertThat(onlyProblem(decode("{\"type\":\"face_match\",\"count\":3}")).message()).contains("unknown type");
        assertThat(onlyProblem(decode("{\"type\":7}")).field()).isEqualTo("$.type");
        assertThat(onlyProblem(decode("{\"type\":\"line_crossing\",\"direction\":\"sideways\"}")).field()).isEqualTo("$.direction");
        assertThat(onlyProblem(decode("{\"type\":\"line_crossing\"}")).field()).isEqualTo("$.direction");
        assertThat(onlyProblem(decode("{\"type\":\"status\",\"state\":\"rebooting\"}")).field()).isEqualTo("$.state");
        assertThat(onlyProblem(decode("{\"type\":\"occupancy\",\"occupied\":\"yes\"}")).field()).isEqualTo("$.occupied");
        assertThat(onlyProblem(decode("{\"type\":\"occupancy\",\"occupied\":false,\"count\":4}")).message()).contains("contradicts");
        assertThat(onlyProblem(decode("{\"type\":\"occupancy\"}")).message()).contains("'occupied' or 'count'");
        assertThat(onlyProblem(decode("[1,2]")).field()).isEqualTo("$");
        assertThat(onlyProblem(decode("\"online\"")).field()).isEqualTo("$");
    }

    @Test
    void fallsBackToTheReceiveTimeForABadTimeAndSaysSo() {
        DecodeResult noOffset = decode("{\"type\":\"people_count\",\"count\":5,\"time\":\"2024-09-05T07:05:00\"}");
        DecodeResult unsetClock = decode("{\"type\":\"people_count\",\"count\":5,\"time\":\"1970-01-01T00:00:12Z\"}");
        DecodeResult future = decode("{\"type\":\"people_count\",\"count\":5,\"time\":\"2024-09-07T00:05:00Z\"}");
        DecodeResult number = decode("{\"type\":\"people_count\",\"count\":5,\"time\":1725494700}");
        DecodeResult feb30 = decode("{\"type\":\"people_count\",\"count\":5,\"time\":\"2024-02-30T07:05:00+07:00\"}");

        for (DecodeResult result : new DecodeResult[] {noOffset, unsetClock, future, number, feb30}) {
            assertThat(result.events()).singleElement().satisfies(e -> {
                assertThat(e.timestamp()).isEqualTo(RECEIVED);
                assertThat(e.attributes()).containsEntry("count", "5");
            });
            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo("$.time");
                assertThat(p.message()).contains("receive time is used");
            });
        }
        assertThat(unsetClock.problems().get(0).message()).contains("1970-01-01T00:00:12Z");
    }

    @Test
    void rejectsBadNamesButKeepsTheCount() {
        DecodeResult result = decode("{\"type\":\"people_count\",\"count\":5,\"zone\":\"a\\nfake log line\"}");

        assertThat(result.events()).singleElement().satisfies(e -> assertThat(e.attributes()).doesNotContainKey("zone"));
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("$.zone");
            assertThat(p.message()).doesNotContain("\n");
        });
    }

    @Test
    void acceptsVietnameseZoneNames() {
        DeviceEvent event = onlyEvent(decode("{\"type\":\"people_count\",\"count\":12,\"zone\":\"Cửa chính\"}"));

        assertThat(event.attributes()).containsEntry("zone", "Cửa chính");
    }

    @Test
    void rejectsTruncatedDeepHugeAndInvalidUtf8PayloadsWhole() {
        byte[] huge = new byte[(1 << 20) + 1];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        byte[] invalidUtf8 = "{\"type\":\"people_count\",\"zone\":\"xx\",\"count\":1}".getBytes(StandardCharsets.US_ASCII);
        invalidUtf8[31] = (byte) 0xC3; // in the zone name "xx"
        invalidUtf8[32] = (byte) 0x28;

        DecodeProblem truncated = onlyProblem(decode("{\"type\":\"people_count\",\"count\":2"));
        DecodeProblem deep = onlyProblem(decode("{\"type\":\"people_count\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}"));
        DecodeProblem tooBig = onlyProblem(decode(huge));
        DecodeProblem utf8 = onlyProblem(decode(invalidUtf8));

        assertThat(truncated.field()).isEqualTo("$");
        assertThat(deep.message()).contains("nesting");
        assertThat(tooBig.message()).contains("1048577 bytes");
        assertThat(utf8.message()).contains("UTF-8").contains("offset 31");
    }

    @Test
    void neverThrowsForRandomPayloads() {
        Random random = new Random(11);
        String alphabet = "{}[]\":,0123456789.-etypcounlinsdrfalsNI ";
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(60)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextInt(8) > 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : random.nextInt(256));
            }
            DecodeResult result = decode(bytes);
            assertThat(result.problems()).noneSatisfy(p -> assertThat(p.message()).startsWith("decoder failed"));
        }
    }

    @Test
    void registryShipsTheCodecUnderItsName() {
        assertThat(CodecRegistry.standard().require("camera-analytics")).isInstanceOf(CameraAnalyticsCodec.class)
                .extracting(Codec::name).isEqualTo("camera-analytics");
    }
}

package org.smartschool.bridge.codec.fuzz;

import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import org.smartschool.bridge.codec.cameraanalytics.CameraAnalyticsCodec;
import org.smartschool.bridge.codec.cardreader.CardReaderCodec;
import org.smartschool.bridge.codec.esphome.EspHomeCodec;
import org.smartschool.bridge.codec.homie.HomieCodec;
import org.smartschool.bridge.codec.lwm2m.Lwm2mCodec;
import org.smartschool.bridge.codec.senml.SenmlCodec;
import org.smartschool.bridge.codec.serialline.SerialLineCodec;
import org.smartschool.bridge.codec.shellygen2.ShellyGen2Codec;
import org.smartschool.bridge.codec.sparkplug.SparkplugCodec;
import org.smartschool.bridge.codec.tasmota.TasmotaCodec;
import org.smartschool.bridge.codec.zigbee2mqtt.Zigbee2MqttCodec;

/**
 * Coverage-guided fuzzing of every codec against {@link DecodeContract}, one target per codec, on the input
 * format of {@link FuzzMessages}. Each target gets a fresh codec per input, so that an input decodes the same
 * way however often it is replayed (Sparkplug and Homie learn from earlier messages of the same input).
 *
 * <p>In a plain build ({@code ./mvnw verify}) Jazzer runs in regression mode: each target decodes the seed
 * inputs in {@code src/test/resources/org/smartschool/bridge/codec/fuzz/CodecFuzzTestInputs/<target>/} (the
 * payloads the codec tests use, and any finding kept as a regression) and nothing else: fast and bounded.
 * With {@code JAZZER_FUZZ=1} it fuzzes one target for {@code maxDuration}, or {@code -Djazzer.max_duration}:
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -pl firmware-bridge test -Dtest='CodecFuzzTest#senml' -Djazzer.max_duration=10m
 * </pre>
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS) // per input; Jazzer turns it into libFuzzer's -timeout when fuzzing
class CodecFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void zigbee2mqtt(byte[] input) {
        DecodeContract.check(new Zigbee2MqttCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void tasmota(byte[] input) {
        DecodeContract.check(new TasmotaCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void esphome(byte[] input) {
        DecodeContract.check(new EspHomeCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void shellyGen2(byte[] input) {
        DecodeContract.check(new ShellyGen2Codec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void homie(byte[] input) {
        DecodeContract.check(new HomieCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void senml(byte[] input) {
        DecodeContract.check(new SenmlCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void lwm2m(byte[] input) {
        DecodeContract.check(new Lwm2mCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void sparkplugB(byte[] input) {
        DecodeContract.check(new SparkplugCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void serialLine(byte[] input) {
        DecodeContract.check(new SerialLineCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void cardReader(byte[] input) {
        DecodeContract.check(new CardReaderCodec(), input);
    }

    @FuzzTest(maxDuration = "2m")
    void cameraAnalytics(byte[] input) {
        DecodeContract.check(new CameraAnalyticsCodec(), input);
    }
}

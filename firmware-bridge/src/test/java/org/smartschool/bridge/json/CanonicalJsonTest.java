package org.smartschool.bridge.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.smartschool.bridge.codec.DecodeProblem;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.EventType;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CanonicalJsonTest {
    private static final DeviceRef DEVICE = new DeviceRef("thcs-a", "r101", "r101-air");
    private static final long T = Instant.parse("2026-03-02T01:15:00.123Z").toEpochMilli();

    @Test
    void writesAReadingInTheDocumentedForm() {
        Reading reading = Reading.of(DEVICE, Quantity.CO2, 812, T);

        assertThat(CanonicalJson.toJson(reading)).isEqualTo("{\"kind\":\"reading\",\"school\":\"thcs-a\",\"room\":\"r101\","
                + "\"device\":\"r101-air\",\"quantity\":\"co2\",\"value\":812.0,\"unit\":\"ppm\","
                + "\"time\":\"2026-03-02T01:15:00.123Z\",\"timestamp\":1772414100123}");
    }

    @Test
    void writesAnEventWithItsAttributesSortedByName() {
        DeviceEvent event = new DeviceEvent("ev-1", "thcs-a", "lab1", "smoke1", EventType.ALERT, T,
                Map.of("kind", "smoke", "active", "true"));

        assertThat(CanonicalJson.toJson(event)).isEqualTo("{\"kind\":\"event\",\"id\":\"ev-1\",\"type\":\"alert\","
                + "\"school\":\"thcs-a\",\"room\":\"lab1\",\"device\":\"smoke1\",\"time\":\"2026-03-02T01:15:00.123Z\","
                + "\"timestamp\":1772414100123,\"attributes\":{\"active\":\"true\",\"kind\":\"smoke\"}}");
    }

    @Test
    void writesAProblemOnOneLineWhateverItsMessageHolds() {
        DecodeProblem problem = new DecodeProblem("thcs-a/r101/aq1", "$.temperature", "got \"hot\"\nsecond line");

        String json = CanonicalJson.toJson(problem);

        assertThat(json).isEqualTo("{\"kind\":\"problem\",\"device\":\"thcs-a/r101/aq1\",\"field\":\"$.temperature\","
                + "\"message\":\"got \\\"hot\\\"\\nsecond line\"}");
        assertThat(json).doesNotContain("\n");
    }

    @Test
    void writesWholeSecondsWithMilliseconds() {
        assertThat(CanonicalJson.isoTime(Instant.parse("2026-03-02T01:15:00Z").toEpochMilli()))
                .isEqualTo("2026-03-02T01:15:00.000Z");
    }

    @Test
    void parsesBackWhatItWrites() {
        Reading reading = Reading.of(DEVICE, Quantity.TEMPERATURE, 29.43, T);
        DeviceEvent event = DeviceEvent.of(DEVICE, EventType.CARD_TAP, T, Map.of("uid", "04A1B2C3", "reader", "door-1"));
        DecodeProblem problem = new DecodeProblem("thcs-a/r101/aq1", "$", "payload is empty");

        assertThat(CanonicalJson.parse(CanonicalJson.toJson(reading))).isEqualTo(new CanonicalRecord.OfReading(reading));
        assertThat(CanonicalJson.parse(CanonicalJson.toJson(event))).isEqualTo(new CanonicalRecord.OfEvent(event));
        assertThat(CanonicalJson.parse(CanonicalJson.toJson(problem))).isEqualTo(new CanonicalRecord.OfProblem(problem));
        assertThat(CanonicalJson.parse(CanonicalJson.toJson(problem)).kind()).isEqualTo("problem");
    }

    @Test
    void parsesTimeOrTimestampAloneAndIgnoresUnknownMembers() {
        String timeOnly = "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"pm25\","
                + "\"value\":12,\"unit\":\"ug/m3\",\"time\":\"2026-03-02T01:15:00.123Z\",\"quality\":\"good\"}";
        String timestampOnly = "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"pm25\","
                + "\"value\":12,\"unit\":\"ug/m3\",\"timestamp\":1772414100123}";

        Reading expected = new Reading("s", "r", "d", Quantity.PM25, 12, "ug/m3", T);
        assertThat(CanonicalJson.parse(timeOnly)).isEqualTo(new CanonicalRecord.OfReading(expected));
        assertThat(CanonicalJson.parse(timestampOnly)).isEqualTo(new CanonicalRecord.OfReading(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1,2]|$|expected a JSON object",
            "{\"kind\":\"reading\"|$|not JSON",
            "{\"school\":\"s\"}|$.kind|missing",
            "{\"kind\":\"sample\"}|$.kind|expected reading, event or problem",
            "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"radon\",\"value\":1,\"unit\":\"Bq\",\"timestamp\":1}|$.quantity|unknown quantity",
            "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"co2\",\"value\":\"812\",\"unit\":\"ppm\",\"timestamp\":1}|$.value|expected a number",
            "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"co2\",\"value\":1e400,\"unit\":\"ppm\",\"timestamp\":1}|$.value|not a finite number",
            "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"co2\",\"value\":812,\"unit\":\"ppm\"}|$.timestamp|missing",
            "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"co2\",\"value\":812,\"unit\":\"ppm\",\"timestamp\":1.5}|$.timestamp|whole epoch milliseconds",
            "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"co2\",\"value\":812,\"unit\":\"ppm\",\"timestamp\":1772414100123,\"time\":\"2026-03-02T01:15:00Z\"}|$.time|but timestamp says",
            "{\"kind\":\"reading\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"co2\",\"value\":812,\"unit\":\"%\",\"timestamp\":1}|$|canonical unit 'ppm'",
            "{\"kind\":\"reading\",\"school\":\"s/x\",\"room\":\"r\",\"device\":\"d\",\"quantity\":\"co2\",\"value\":812,\"unit\":\"ppm\",\"timestamp\":1}|$|invalid school id",
            "{\"kind\":\"event\",\"id\":\"e\",\"type\":\"door_open\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"timestamp\":1,\"attributes\":{\"n\":1}}|$.attributes.n|expected a string",
            "{\"kind\":\"event\",\"id\":\"e\",\"type\":\"explosion\",\"school\":\"s\",\"room\":\"r\",\"device\":\"d\",\"timestamp\":1}|$.type|unknown event type",
            "{\"kind\":\"problem\",\"device\":\"d\",\"field\":\"$\",\"message\":\"m\"} {}|$|not JSON",
            "{\"kind\":\"problem\",\"kind\":\"reading\"}|$|not JSON"})
    void rejectsLinesThatAreNotCanonicalNamingTheMember(String line, String field, String message) {
        assertThatThrownBy(() -> CanonicalJson.parse(line))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }
}

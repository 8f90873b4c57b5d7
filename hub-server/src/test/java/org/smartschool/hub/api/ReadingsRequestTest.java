package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.hub.store.Aggregation;
import org.smartschool.hub.store.ReadingQuery;
import org.smartschool.hub.store.SeriesQuery;

@Timeout(10)
class ReadingsRequestTest {
    private static final Instant NOW = Instant.parse("2025-03-10T05:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static ReadingQuery parse(Map<String, String> params) {
        return ReadingsRequest.parse(params::get, CLOCK);
    }

    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("school", "s1");
        p.put("room", "r1");
        p.put("quantity", "co2");
        p.put("from", "2025-03-10T08:00:00+07:00");
        p.put("to", "2025-03-10T02:00:00Z");
        return p;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> p = valid();
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
        return p;
    }

    /** Verifies that a full request becomes the query it names, offsets converted to UTC. */
    @Test
    void parsesAFullRequest() {
        ReadingQuery q = parse(with("limit", "50"));

        assertThat(q).isEqualTo(new ReadingQuery("s1", "r1", Quantity.CO2, Optional.empty(),
                Instant.parse("2025-03-10T01:00:00Z").toEpochMilli(), Instant.parse("2025-03-10T02:00:00Z").toEpochMilli(), 50));
    }

    /** Verifies the documented defaults: to = now, from = to - 24 h, limit 1000. */
    @Test
    void defaultsToTheLastDay() {
        Map<String, String> p = valid();
        p.remove("from");
        p.remove("to");
        p.put("device", "co2-1");

        ReadingQuery q = parse(p);

        assertThat(q.toMillis()).isEqualTo(NOW.toEpochMilli());
        assertThat(q.fromMillis()).isEqualTo(NOW.minusSeconds(86_400).toEpochMilli());
        assertThat(q.limit()).isEqualTo(1000);
        assertThat(q.device()).contains("co2-1");
    }

    /** Verifies that each bad or missing parameter is named. */
    @Test
    void badParametersAreNamed() {
        assertBad(with("school", null), "school", "school is required");
        assertBad(with("room", "r/1"), "room", "must be an id");
        assertBad(with("quantity", "carbon"), "quantity", "co2");
        assertBad(with("quantity", null), "quantity", "required");
        assertBad(with("from", "yesterday"), "from", "ISO-8601");
        assertBad(with("to", "2025-03-10T02:00:00"), "to", "offset");
        assertBad(with("from", "2025-03-11T00:00:00Z"), "from", "after to");
        assertBad(with("limit", "0"), "limit", "from 1 to 10000");
        assertBad(with("limit", "10001"), "limit", "from 1 to 10000");
        assertBad(with("limit", "ten"), "limit", "whole number");
        assertBad(with("device", "a b"), "device", "must be an id");
    }

    /** Verifies that an unknown quantity's message lists every known quantity. */
    @Test
    void unknownQuantityListsTheKnownOnes() {
        assertThatThrownBy(() -> parse(with("quantity", "carbon")))
                .hasMessageContaining("unknown quantity")
                .satisfies(e -> {
                    for (Quantity q : Quantity.values()) {
                        assertThat(e.getMessage()).contains(q.id());
                    }
                });
    }

    private static void assertBad(Map<String, String> params, String parameter, String message) {
        assertThatThrownBy(() -> parse(params))
                .isInstanceOfSatisfying(BadParameterException.class, e -> assertThat(e.parameter()).isEqualTo(parameter))
                .hasMessageContaining(message);
    }

    /** Verifies that step takes short (15m, 1h, 1d, 1w) and ISO-8601 durations, agg defaults to mean, and neither means raw readings. */
    @Test
    void parsesStepAndAgg() {
        ReadingQuery window = parse(valid());
        Map<String, String> p = valid();

        assertThat(ReadingsRequest.series(p::get, window)).isEmpty();
        for (String[] c : new String[][] {{"90s", "PT1M30S"}, {"15m", "PT15M"}, {"1h", "PT1H"}, {"1d", "PT24H"}, {"1w", "PT168H"},
                                          {"PT15M", "PT15M"}, {"P1D", "PT24H"}}) {
            p.put("step", c[0]);
            Optional<SeriesQuery> series = ReadingsRequest.series(p::get, window);
            assertThat(series).as(c[0]).contains(new SeriesQuery(window, Duration.parse(c[1]), Aggregation.MEAN));
        }
        p.put("step", "5m");
        p.put("agg", "last");
        assertThat(ReadingsRequest.series(p::get, window)).contains(new SeriesQuery(window, Duration.ofMinutes(5), Aggregation.LAST));
    }

    /** Verifies that bad step and agg values are named. */
    @Test
    void badStepAndAggAreNamed() {
        ReadingQuery window = parse(valid());
        String[][] cases = {{"step", "0s", null}, {"step", "-PT1M", null}, {"step", "PT0.5S", null}, {"step", "1y", null},
                            {"step", "367d", null}, {"agg", "median", "1h"}, {"step", null, null}};
        for (String[] c : cases) {
            Map<String, String> p = valid();
            if (c[0].equals("agg")) {
                p.put("agg", c[1]);
                p.put("step", c[2]);
            } else if (c[1] == null) {
                p.put("agg", "max");
            } else {
                p.put("step", c[1]);
            }
            assertThatThrownBy(() -> ReadingsRequest.series(p::get, window)).as(String.join(" ", c[0], String.valueOf(c[1])))
                    .isInstanceOf(BadParameterException.class)
                    .satisfies(e -> assertThat(((BadParameterException) e).parameter()).isEqualTo(c[0]));
        }
    }
}

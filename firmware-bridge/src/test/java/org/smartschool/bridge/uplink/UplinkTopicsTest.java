package org.smartschool.bridge.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.model.InvalidIdException;

class UplinkTopicsTest {

    @Test
    void buildsTheThreeTopicsOfAGateway() {
        assertThat(UplinkTopics.batch("thpt-le-loi", "gw-01")).isEqualTo("ss/v1/thpt-le-loi/gw-01/batch");
        assertThat(UplinkTopics.health("thpt-le-loi", "gw-01")).isEqualTo("ss/v1/thpt-le-loi/gw-01/health");
        assertThat(UplinkTopics.config("thpt-le-loi", "gw-01")).isEqualTo("ss/v1/thpt-le-loi/gw-01/config");
    }

    @Test
    void parsesWhatItBuilds() {
        assertThat(UplinkTopics.parse(UplinkTopics.batch("s1", "g1")))
                .contains(new UplinkTopics.Parsed("s1", "g1", UplinkTopics.BATCH));
        assertThat(UplinkTopics.parse("ss/v1/s1/g1/health")).contains(new UplinkTopics.Parsed("s1", "g1", "health"));
        assertThat(UplinkTopics.parse("ss/v1/s1/g1/config")).contains(new UplinkTopics.Parsed("s1", "g1", "config"));
    }

    @Test
    void refusesToBuildATopicFromABadId() {
        assertThatThrownBy(() -> UplinkTopics.batch("s1/evil", "g1")).isInstanceOf(InvalidIdException.class)
                .hasMessageContaining("invalid school id 's1/evil'");
        assertThatThrownBy(() -> UplinkTopics.health("s1", "#")).isInstanceOf(InvalidIdException.class)
                .hasMessageContaining("invalid gateway id '#'");
        assertThatThrownBy(() -> UplinkTopics.config("s1", null)).isInstanceOf(InvalidIdException.class)
                .hasMessage("gateway id is missing");
    }

    @Test
    void foreignAndMalformedTopicsAreNotOurs() {
        assertThat(UplinkTopics.parse(null)).isEmpty();
        assertThat(UplinkTopics.parse("")).isEmpty();
        assertThat(UplinkTopics.parse("zigbee2mqtt/r1-co2")).isEmpty();
        assertThat(UplinkTopics.parse("ss/v2/s1/g1/batch")).as("another topic version").isEmpty();
        assertThat(UplinkTopics.parse("xx/v1/s1/g1/batch")).isEmpty();
        assertThat(UplinkTopics.parse("ss/v1/s1/g1/batch/extra")).isEmpty();
        assertThat(UplinkTopics.parse("ss/v1/s1/batch")).isEmpty();
        assertThat(UplinkTopics.parse("ss/v1//g1/batch")).as("empty school").isEmpty();
        assertThat(UplinkTopics.parse("ss/v1/s1/+/batch")).as("wildcard gateway").isEmpty();
        assertThat(UplinkTopics.parse("ss/v1/s 1/g1/batch")).isEmpty();
        assertThat(UplinkTopics.parse("ss/v1/s1/g1/readings")).as("unknown kind").isEmpty();
        assertThat(UplinkTopics.parse("ss/v1/s1/g1/")).isEmpty();
    }
}

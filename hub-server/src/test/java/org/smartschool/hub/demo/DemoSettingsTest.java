package org.smartschool.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.smartschool.bridge.sim.SchoolLayout;

class DemoSettingsTest {

    @Test
    void keepsAnHourOfHistoryForASmallDistrict() {
        assertThat(DemoSettings.of(8080, 3, Path.of("d")).history()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shortensTheHistoryOfABigDistrictToTheMessageBudget() {
        Duration history = DemoSettings.of(8080, 50, Path.of("d")).history();

        double messages = 50 * SchoolLayout.of(DemoSettings.DEFAULT_ROOMS).messagesPerMinute() * history.toMinutes();
        assertThat(history).isLessThan(Duration.ofHours(1)).isPositive();
        assertThat(messages).isLessThanOrEqualTo(DemoSettings.HISTORY_MESSAGE_BUDGET);
    }

    @Test
    void runsTheMorningAt30xByDefaultAndRefusesASpeedOrAWebhookOutOfPlace() {
        assertThat(DemoSettings.of(8080, 3, Path.of("d")).morningSpeed()).isEqualTo(30);
        assertThat(new DemoSettings("127.0.0.1", 0, 1, 2, Path.of("d"), java.time.Duration.ZERO).morningSpeed())
                .as("tests of other parts run without the morning").isZero();
        DemoSettings settings = DemoSettings.of(8080, 3, Path.of("d"));
        assertThat(settings.withMorningSpeed(240).morningSpeed()).isEqualTo(240);
        assertThatThrownBy(() -> settings.withMorningSpeed(241)).hasMessageContaining("--morning-speed");
        assertThatThrownBy(() -> settings.withMorningSpeed(-1)).hasMessageContaining("--morning-speed");
        assertThatThrownBy(() -> settings.withWebhook("http://127.0.0.1:9/hooks", null))
                .hasMessageContaining("--webhook and --webhook-secret go together");
        assertThat(settings.withWebhook("http://127.0.0.1:9/hooks", "whsec_x").webhookUrl()).isEqualTo("http://127.0.0.1:9/hooks");
    }

    @Test
    void refusesSchoolsOutsideOneToFiftyNamingTheOption() {
        assertThatThrownBy(() -> DemoSettings.of(8080, 0, Path.of("d"))).hasMessageContaining("--schools");
        assertThatThrownBy(() -> DemoSettings.of(8080, 51, Path.of("d"))).hasMessageContaining("--schools");
    }

    @Test
    void givesEverySchoolItsOwnIdNameAndSecret() {
        var schools = DemoSchool.district(22);

        assertThat(schools).extracting(DemoSchool::id).startsWith("school-01", "school-02").contains("school-22");
        assertThat(schools.get(0).name()).isEqualTo("THCS Nguyễn Du");
        assertThat(schools.get(21).name()).isEqualTo("Trường số 22");
        assertThat(schools).extracting(DemoSchool::secret).doesNotHaveDuplicates();
        assertThat(schools.get(0).toString()).doesNotContain(schools.get(0).secret());
    }
}

package org.smartschool.hub.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which gateways loadgen plays: generated or from a file. */
class GatewayCredentialTest {
    @TempDir
    Path dir;

    /** Verifies the generated ids and schools, numbered from 0001. */
    @Test
    void generatesNumberedGatewaysWithOneSchoolEach() {
        assertThat(GatewayCredential.generated(2, "s", "thpt"))
                .containsExactly(new GatewayCredential("loadgen-gw-0001", "s", "thpt-0001"),
                        new GatewayCredential("loadgen-gw-0002", "s", "thpt-0002"));
    }

    /** Verifies that a bad line in the credentials file is named by file and line, with what is wrong. */
    @Test
    void badLineIsNamedByFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("gw.txt"), "# id secret school\ngw-1 s1 school-1\ngw-2 s2\n");
        Path badId = Files.writeString(dir.resolve("id.txt"), "gw/1 s1 school-1\n");
        Path twice = Files.writeString(dir.resolve("twice.txt"), "gw-1 s1 a\ngw-1 s2 b\n");

        assertThatThrownBy(() -> GatewayCredential.readFile(file)).hasMessage(file + ":3: expected 'gatewayId secret school', found 2 fields");
        assertThatThrownBy(() -> GatewayCredential.readFile(badId)).hasMessageStartingWith(badId + ":1: invalid gateway id 'gw/1'");
        assertThatThrownBy(() -> GatewayCredential.readFile(twice)).hasMessage(twice + ":2: gateway 'gw-1' is listed twice");
    }

    /** Verifies that the secret never shows in the text of a credential. */
    @Test
    void toStringHidesTheSecret() {
        assertThat(new GatewayCredential("gw-1", "top-secret-value", "s").toString()).doesNotContain("top-secret-value");
    }
}

package org.smartschool.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.bridge.model.Reading;

/** Verifies that every append that returned survives a kill -9 of the process that made it. */
@Timeout(60)
class OutboxKillTest {
    @TempDir
    Path dir;

    @Test
    void everyReturnedAppendSurvivesKillMinus9() throws Exception {
        Path file = dir.resolve("killed.db");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AppendingProcess.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Set<Integer> acknowledged = new TreeSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 300 && (line = out.readLine()) != null) {
                acknowledged.add(Integer.parseInt(line.substring("appended ".length())));
            }
            process.destroyForcibly(); // SIGKILL, mid-append most likely
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSize(300);

        try (Outbox reopened = Outbox.open(file, 1_000_000, 10)) {
            Set<Integer> stored = reopened.peek(1_000_000).readings().stream()
                    .map(Reading::value).map(Double::intValue).collect(Collectors.toCollection(TreeSet::new));
            assertThat(stored).containsAll(acknowledged);
            // nothing invented either: the stored values are 1..n without gaps
            assertThat(stored).hasSize(((TreeSet<Integer>) stored).last());
        }
    }
}

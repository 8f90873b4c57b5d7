package org.smartschool.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.smartschool.hub.report.render.ReportCsv;
import org.smartschool.hub.testsupport.Inventories;

/**
 * {@code hub-server.jar report}: a school's monthly PDF and the district's CSV from the stores hub.yaml names (the
 * example inventory's schools), and a one-line refusal with its exit code for an unknown school or a bad month.
 */
@Timeout(60)
class ReportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = HubMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** Verifies the PDF of a registered school and the district CSV with a row per registered school, named as the registry names them. */
    @Test
    void writesASchoolsPdfAndTheDistrictsCsv() throws Exception {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, "store:\n  path: " + dir.resolve("data/hub-store.db") + "\nregistry:\n  inventory: "
                + Inventories.example().toAbsolutePath() + "\n");
        Path pdf = dir.resolve("school-01.pdf");
        assertThat(run("report", "--config", config.toString(), "--school", "school-01", "--month", "2025-03", "--out",
                pdf.toString())).as(err.toString()).isZero();
        assertThat(Files.readAllBytes(pdf)).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));
        assertThat(out.toString()).contains("report school-01 2025-03 (pdf): " + pdf);

        Path csv = dir.resolve("district.csv");
        assertThat(run("report", "--config", config.toString(), "--district", "--month", "2025-03", "--format", "csv", "--out",
                csv.toString())).as(err.toString()).isZero();
        String[] lines = Files.readString(csv).split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", ReportCsv.DISTRICT_HEADER));
        assertThat(lines).anyMatch(l -> l.startsWith("school-01,THCS Nguyễn Du,2025-03,"));
    }

    /** Verifies that an unknown school, a bad month and a bad format are refused with a line each and their exit codes. */
    @Test
    void refusesAnUnknownSchoolAndABadMonthOrFormat() throws Exception {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, "store:\n  path: " + dir.resolve("data/hub-store.db") + "\n");
        Path file = dir.resolve("r.pdf");
        assertThat(run("report", "--config", config.toString(), "--school", "school-99", "--month", "2025-03", "--out",
                file.toString())).isEqualTo(ReportCommand.EXIT_UNKNOWN_SCHOOL);
        assertThat(err.toString()).contains("hub-server report: unknown school 'school-99'");
        assertThat(run("report", "--config", config.toString(), "--school", "school-99", "--month", "2025-3", "--out",
                file.toString())).isEqualTo(ServeCommand.EXIT_BAD_CONFIG);
        assertThat(err.toString()).contains("hub-server report: --month: month must be YYYY-MM");
        assertThat(run("report", "--config", config.toString(), "--district", "--month", "2025-03", "--format", "xls", "--out",
                file.toString())).isEqualTo(ServeCommand.EXIT_BAD_CONFIG);
        assertThat(Files.exists(file)).isFalse();
    }
}

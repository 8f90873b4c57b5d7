package org.smartschool.hub.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smartschool.hub.app.HubMain;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.state.StateStores;
import org.smartschool.hub.testsupport.Inventories;
import picocli.CommandLine;

/** {@code hub-server.jar roster check|import}: what the files hold, every problem, and the import into the state database. */
class RosterCommandTest {
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

    /** Verifies that check prints the example set's counts, and every problem of a bad set with exit code 3. */
    @Test
    void checkPrintsTheCountsOrEveryProblem() throws Exception {
        assertThat(run("roster", "check", RosterExamples.dir("school-02-oneroster").toString(), "--format", "oneroster")).isZero();
        assertThat(out.toString()).contains("roster: 240 learners, 256 cards (", "11 classes, 5 periods, term 2026-09-05 to 2027-01-16");

        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("classes.csv"), "class,level,room\n6a1,session,r101\n");
        Files.writeString(bad.resolve("learners.csv"), "learner_id,class\n123,6a1\n");
        assertThat(run("roster", "check", bad.toString())).isEqualTo(RosterCommand.EXIT_PROBLEMS);
        assertThat(err.toString()).contains("learners.csv, line 2, column learner_id: not a 12-digit personal ID (3 characters)",
                "term.csv: missing", "roster: refused, nothing changed: ");
    }

    /** Verifies that import stores the roster in the state database hub.yaml names, with a first card key. */
    @Test
    void importStoresTheRosterInTheStateDatabase() throws Exception {
        Path config = dir.resolve("hub.yaml");
        Files.writeString(config, "store:\n  path: " + dir.resolve("data/hub-store.db") + "\nregistry:\n  inventory: "
                + Inventories.example().toAbsolutePath() + "\n");

        assertThat(run("roster", "import", "--config", config.toString(), "--school", "school-01",
                RosterExamples.dir("school-01").toString())).as(err.toString()).isZero();
        assertThat(run("roster", "import", "--config", config.toString(), "--school", "school-99",
                RosterExamples.dir("school-01").toString())).isEqualTo(RosterCommand.EXIT_UNKNOWN_SCHOOL);

        HubConfig hub = HubConfig.load(config, java.util.Map.of());
        Path storeFile = Path.of(hub.store().path());
        try (StateStores state = StateStores.open(hub.state().resolve(storeFile), hub.registry(), storeFile, Clock.systemUTC())) {
            assertThat(state.rosters().roster("school-01").orElseThrow().learners()).hasSize(272);
            assertThat(state.rosters().cardKey("school-01")).isPresent();
            assertThat(state.rosters().roster("school-99")).isEmpty();
        }
    }
}

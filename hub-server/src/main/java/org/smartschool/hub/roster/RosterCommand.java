package org.smartschool.hub.roster;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.registry.Room;
import org.smartschool.hub.registry.School;
import org.smartschool.hub.state.StateStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code roster check|import}: reads a school's roster files (a directory or a zip), and with {@code import}
 * stores them in the hub's state database as {@code PUT /api/v1/schools/{school}/roster} does; a running hub
 * sends the school's gateways the new section within its 10 s refresh.
 */
@Command(name = "roster", mixinStandardHelpOptions = true,
        description = "Check or import a school's roster and timetable (docs/roster.md).",
        subcommands = {RosterCommand.Check.class, RosterCommand.Import.class})
public final class RosterCommand implements Runnable {
    static final int EXIT_PROBLEMS = 3;
    static final int EXIT_BAD_CONFIG = 2;
    static final int EXIT_UNKNOWN_SCHOOL = 4;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The files' options shared by both subcommands. */
    abstract static class FilesOptions {
        @Option(names = "--format", defaultValue = "csv", description = "csv (the hub's files) or oneroster (a OneRoster 1.2 CSV set); default ${DEFAULT-VALUE}")
        String format;

        @Parameters(index = "0", paramLabel = "DIR|ZIP", description = "A directory of the CSV files, or a zip of them.")
        Path source;

        @Spec
        CommandSpec spec;

        Map<String, byte[]> files() throws IOException {
            return Files.isDirectory(source) ? RosterFiles.fromDirectory(source) : RosterFiles.fromZip(Files.readAllBytes(source));
        }

        Rosters.Format parsedFormat() {
            return Rosters.Format.byId(format).orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--format must be csv or oneroster"));
        }

        int problems(RosterImportException e) {
            PrintWriter err = spec.commandLine().getErr();
            e.problems().forEach(p -> err.println(p));
            err.println("roster: refused, nothing changed: " + e.problems().size() + (e.truncated() ? "+" : "") + " problems");
            err.flush();
            return EXIT_PROBLEMS;
        }

        void summary(Roster roster) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("roster: " + roster.learners().size() + " learners, " + roster.cards().size() + " cards ("
                    + roster.cards().stream().filter(Card::revoked).count() + " revoked), " + roster.timetable().classes().size()
                    + " classes, " + roster.timetable().periods().size() + " periods, term " + roster.timetable().term().from() + " to "
                    + roster.timetable().term().to());
            out.flush();
        }
    }

    /** {@code roster check [--format F] DIR|ZIP}: reads the files, prints what they hold or every problem; changes nothing. */
    @Command(name = "check", mixinStandardHelpOptions = true, description = "Read the files and print what they hold or every problem.")
    static final class Check extends FilesOptions implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Rosters.Format f = parsedFormat();
            try {
                Map<String, byte[]> files = files();
                summary(f == Rosters.Format.CSV ? RosterCsv.read(files, null) : OneRosterCsv.read(files, null, LocalDate.now()));
                return 0;
            } catch (RosterImportException e) {
                return problems(e);
            }
        }
    }

    /** {@code roster import --config hub.yaml --school S [--format F] DIR|ZIP}: stores the roster in the state database. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Store the roster in the hub's state database (all or nothing); a running hub sends it to the gateways.")
    static final class Import extends FilesOptions implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The hub's YAML configuration (its state database and registry).")
        Path config;

        @Option(names = "--school", required = true, description = "The school's id in the registry.")
        String school;

        @Override
        public Integer call() throws IOException {
            Rosters.Format f = parsedFormat();
            PrintWriter err = spec.commandLine().getErr();
            if (!Ids.isValid(school)) {
                err.println("roster: --school must be an id");
                err.flush();
                return EXIT_UNKNOWN_SCHOOL;
            }
            HubConfig hub;
            try {
                hub = HubConfig.load(config, System.getenv());
            } catch (ConfigException e) {
                err.println("roster: " + e.getMessage().replaceAll("\\s+", " "));
                err.flush();
                return EXIT_BAD_CONFIG;
            }
            Clock clock = Clock.systemUTC();
            Path storeFile = Path.of(hub.store().path());
            try (StateStores state = StateStores.open(hub.state().resolve(storeFile), hub.registry(), storeFile, clock)) {
                School known = state.registry().school(school).orElse(null);
                if (known == null) {
                    err.println("roster: no school '" + school + "' in the registry");
                    err.flush();
                    return EXIT_UNKNOWN_SCHOOL;
                }
                Set<String> rooms = known.rooms().map(Room::id).collect(Collectors.toSet());
                Rosters rosters = new Rosters(state.rosters(), hub.roster(), clock, new SecureRandom());
                summary(rosters.importFiles(school, f, files(), rooms));
                return 0;
            } catch (RosterImportException e) {
                return problems(e);
            }
        }
    }
}

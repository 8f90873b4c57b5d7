package org.smartschool.hub.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.smartschool.bridge.config.ConfigException;
import org.smartschool.bridge.model.Ids;
import org.smartschool.hub.api.RegisteredPlaces;
import org.smartschool.hub.api.ReportSchoolsOfHub;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.desired.DesiredConfigs;
import org.smartschool.hub.report.DesiredRulesSource;
import org.smartschool.hub.report.MonthlyReports;
import org.smartschool.hub.report.ReportMonth;
import org.smartschool.hub.report.render.ReportCsv;
import org.smartschool.hub.report.render.ReportPdf;
import org.smartschool.hub.roster.Rosters;
import org.smartschool.hub.state.StateStores;
import org.smartschool.hub.store.HubStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code report --config FILE (--school S | --district) --month YYYY-MM [--format csv|pdf] --out FILE}: the monthly
 * report of the API (README, "Monthly reports") made from the stores hub.yaml names, also while the hub runs.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a school's monthly report, or the district roll-up, as CSV or PDF (README, \"Monthly reports\").")
public final class ReportCommand implements Callable<Integer> {
    static final int EXIT_UNKNOWN_SCHOOL = 3;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the hub's YAML configuration (its stores)")
    Path config;

    @Option(names = "--school", description = "the school's id")
    String school;

    @Option(names = "--district", description = "the district roll-up: one row per school")
    boolean district;

    @Option(names = "--month", required = true, description = "YYYY-MM, in the school's time zone")
    String month;

    @Option(names = "--format", defaultValue = "pdf", description = "csv or pdf (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the report")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        YearMonth yearMonth;
        try {
            yearMonth = ReportMonth.parse(month);
        } catch (IllegalArgumentException e) {
            return fail(err, "--month: " + e.getMessage(), ServeCommand.EXIT_BAD_CONFIG);
        }
        if (!format.equals("csv") && !format.equals("pdf")) {
            return fail(err, "--format must be csv or pdf", ServeCommand.EXIT_BAD_CONFIG);
        }
        if (district == (school != null)) {
            return fail(err, "give --school S or --district", ServeCommand.EXIT_BAD_CONFIG);
        }
        if (school != null && !Ids.isValid(school)) {
            return fail(err, "--school is not an id", ServeCommand.EXIT_BAD_CONFIG);
        }
        HubConfig hub;
        try {
            hub = HubConfig.load(config, System.getenv());
        } catch (ConfigException e) {
            return fail(err, e.getMessage().replaceAll("\\s+", " "), ServeCommand.EXIT_BAD_CONFIG);
        }
        Path storeFile = Path.of(hub.store().path());
        Clock clock = Clock.systemUTC();
        try (StateStores state = StateStores.open(hub.state().resolve(storeFile), hub.registry(), storeFile, clock)) {
            // the state stores close the hub state themselves: only the time series is this command's to close
            HubStore store = HubStore.open(hub.store(), state.hubState());
            try {
                Rosters rosters = new Rosters(state.rosters(), hub.roster(), clock, new SecureRandom());
                DesiredConfigs desired = new DesiredConfigs(state.registry(), clock, () -> {
                    Map<String, DesiredConfigs.Attendance> bySchool = new HashMap<>();
                    rosters.attendance().forEach((s, a) ->
                            bySchool.put(s, new DesiredConfigs.Attendance(a.section(), a.lessonHours())));
                    return bySchool;
                });
                desired.refresh();
                MonthlyReports reports = MonthlyReports.of(store, state.attendanceLedger(s -> false, () -> { }), state.alarms(),
                        state.fleetEvents(), new ReportSchoolsOfHub(store, hub.gateways(), new RegisteredPlaces(state.registry()),
                                state.registry()), new DesiredRulesSource(desired, hub.gateways()), clock, hub.fleet(),
                        s -> state.rosters().roster(s).map(r -> r.timetable().term()),
                        MonthlyReports.districtParallelism(hub.http().readThreads(), hub.store().kind()));
                byte[] body;
                if (district) {
                    var report = reports.district(yearMonth);
                    body = format.equals("pdf") ? ReportPdf.district(report)
                            : ReportCsv.district(report).getBytes(StandardCharsets.UTF_8);
                } else {
                    if (!reports.schools().knows(school)) {
                        return fail(err, "unknown school '" + school + "'", EXIT_UNKNOWN_SCHOOL);
                    }
                    if (new ReportMonth(yearMonth, reports.zoneOf(school)).isFuture(clock.millis())) {
                        return fail(err, "--month: " + yearMonth + " has not started yet", ServeCommand.EXIT_BAD_CONFIG);
                    }
                    var report = reports.school(school, yearMonth);
                    body = format.equals("pdf") ? ReportPdf.school(report)
                            : ReportCsv.school(report).getBytes(StandardCharsets.UTF_8);
                }
                Files.write(out, body);
            } finally {
                store.timeSeries().close();
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("report " + (district ? "district" : school) + " " + yearMonth + " (" + format + "): " + out);
        stdout.flush();
        return 0;
    }

    private static int fail(PrintWriter err, String message, int code) {
        err.println("hub-server report: " + message);
        err.flush();
        return code;
    }
}

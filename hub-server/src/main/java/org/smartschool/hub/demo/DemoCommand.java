package org.smartschool.hub.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.smartschool.hub.config.InfluxConfig;
import org.smartschool.gateway.coap.CoapPortException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a simulated school district in this one process, until Ctrl-C.
 *
 * <p>Only wires and reports: {@link DemoDistrict} does the work. Runs on embedded defaults, so it
 * needs nothing installed besides Java.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a simulated school district in one process (virtual classroom sensors, a gateway per"
                + " school, the hub) and serve its overview page and API until Ctrl-C.")
public final class DemoCommand implements Callable<Integer> {
    static final int EXIT_CANNOT_START = 1;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port of the page and API (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--schools", paramLabel = "N", defaultValue = "3",
            description = "Number of simulated schools, 1-" + DemoSchool.MAX_SCHOOLS + ". Default: ${DEFAULT-VALUE}.")
    int schools;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the hub's store and the gateways' outboxes here (kept after exit)."
                    + " Default: a fresh temporary directory, deleted on exit.")
    Path dataDir;

    @Option(names = "--influx", paramLabel = "URL",
            description = "Store the time series in this InfluxDB (v1 API, e.g. http://127.0.0.1:8086) instead of"
                    + " the embedded SQLite file; the database and its retention policies are created when missing.")
    String influxUrl;

    @Option(names = "--influx-db", paramLabel = "NAME", defaultValue = InfluxConfig.DEFAULT_DATABASE,
            description = "The InfluxDB database (with --influx). Default: ${DEFAULT-VALUE}.")
    String influxDatabase;

    @Option(names = "--coap-port", paramLabel = "PORT", defaultValue = "5683",
            description = "UDP port where devices POST SenML to coap://127.0.0.1:PORT/{school}/{room}/{device}"
                    + " (0: any free port). Default: ${DEFAULT-VALUE}.")
    int coapPort;

    @Option(names = "--webhook", paramLabel = "URL",
            description = "Forward every alarm transition and attendance decision of the demo district to this URL as"
                    + " signed webhooks (Standard Webhooks; docs/webhooks.md). Needs --webhook-secret.")
    String webhookUrl;

    @Option(names = "--webhook-secret", paramLabel = "whsec_...",
            description = "The signing secret the receiver checks (whsec_ and the base64 of 24-64 random bytes).")
    String webhookSecret;

    @Option(names = "--morning-speed", paramLabel = "N|off", defaultValue = "" + SchoolMorning.DEFAULT_SPEED,
            description = "Attendance: simulate a school morning from 06:45 school time (Asia/Ho_Chi_Minh) of today"
                    + " (Friday at a weekend), N times faster than real time (1-" + SchoolMorning.MAX_SPEED + "), whatever"
                    + " the hour: the door readers tap, the gateways decide present, late and absent, the hub shows them"
                    + " in /api/v1/attendance and forwards them with --webhook. The school clock stops at 07:30."
                    + " off (or 0): the door readers follow the real clock (taps in real school hours only)."
                    + " Default: ${DEFAULT-VALUE}.")
    String morningSpeed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int speed = morningSpeed(morningSpeed);
        if (schools < 1 || schools > DemoSchool.MAX_SCHOOLS) {
            throw new ParameterException(spec.commandLine(),
                    "--schools must be 1-" + DemoSchool.MAX_SCHOOLS + ", got " + schools);
        }
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0-65535, got " + port);
        }
        InfluxConfig influx = influxConfig();
        if (coapPort < 0 || coapPort > 65_535) {
            throw new ParameterException(spec.commandLine(), "--coap-port must be 0-65535, got " + coapPort);
        }
        if ((webhookUrl == null) != (webhookSecret == null)) {
            throw new ParameterException(spec.commandLine(), "--webhook and --webhook-secret go together");
        }
        if (webhookSecret != null) {
            try {
                org.smartschool.hub.forward.WebhookSecret.parse(webhookSecret);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--webhook-secret: " + e.getMessage());
            }
        }
        long startedAt = System.nanoTime();
        // N gateways in one process: their per-connection lines would bury the URL; warnings still show
        QuietLoggers.quiet("org.smartschool.gateway", "org.smartschool.hub.endpoint");
        boolean temporary = dataDir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("smart-school-demo-") : dataDir.toAbsolutePath();
        } catch (IOException e) {
            err.println("demo: cannot create a temporary directory: " + e.getMessage());
            err.flush();
            return EXIT_CANNOT_START;
        }

        DemoDistrict district;
        try {
            district = DemoDistrict.start(DemoSettings.of(port, schools, dir).withInflux(influx).withCoapPort(coapPort)
                    .withMorningSpeed(speed).withWebhook(webhookUrl, webhookSecret));
        } catch (RuntimeException e) {
            CoapPortException coapBusy = coapPortFailure(e);
            err.println("demo: " + (coapBusy != null
                    ? "cannot listen on UDP port " + coapBusy.port() + " for CoAP (" + coapBusy.reason()
                    + "); is another CoAP server using it? Choose another port with --coap-port (0: any free port)."
                    : isBindFailure(e)
                    ? "cannot listen on port " + port + " (" + e.getMessage() + "); is another server using it?"
                    + " Choose another port with --port."
                    : e.getMessage()));
            err.flush();
            if (temporary) {
                deleteTree(dir);
            }
            return EXIT_CANNOT_START;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println("Stopping the demo...");
                district.close();
                if (temporary) {
                    deleteTree(dir);
                }
            } finally {
                stopped.countDown();
            }
        }, "demo-shutdown"));

        DemoSettings settings = district.settings();
        String history = settings.history().isZero()
                ? "continuing the data in " + dir
                : "the last " + settings.history().toMinutes() + " min filled in with simulated history";
        out.printf("Smart-school demo up in %.1f s: %d simulated schools, %d classrooms each, %s.%n",
                (System.nanoTime() - startedAt) / 1e9, settings.schools(), settings.roomsPerSchool(), history);
        out.println("  Open " + district.url());
        out.println("  CoAP coap://127.0.0.1:" + district.coapPort() + "/{school}/{room}/{device}   (POST SenML, e.g. "
                + "coap://127.0.0.1:" + district.coapPort() + "/" + district.schoolIds().get(0) + "/r101/air)");
        out.println("  API  " + district.url() + "api/v1/schools   (described by " + district.url() + "api/v1/openapi.yaml)");
        printLogins(out, district);
        printAlarmHelp(out, district);
        printAttendanceHelp(out, district);
        out.println("  Data " + dir + (temporary ? "  (deleted on exit; keep it with --data-dir)" : ""));
        if (influx != null) {
            out.println("  Time series in InfluxDB " + influx.url() + ", database " + influx.database());
        }
        if (webhookUrl != null) {
            out.println("  Alarms and attendance (attendance.recorded) forwarded to " + webhookUrl + " (signed; see "
                    + district.url() + "api/v1/webhooks)");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** A login per role with the password generated now, and how to sign in (README, "Users, roles and scoped access"). */
    static void printLogins(PrintWriter out, DemoDistrict district) {
        out.println("  Logins (passwords generated at this start, shown only here):");
        for (DemoLogins.Login login : district.logins()) {
            out.printf("       %-22s %-18s %-16s password %s%n", login.user(), login.role().id(),
                    login.school() == null ? "(every school)" : login.school(), login.password());
        }
        DemoLogins.Login admin = district.logins().get(0);
        out.println("     open the console " + district.url() + " and sign in with one of them (Vietnamese by default; English in the corner)");
        out.println("     or sign in to the API:");
        out.println("       curl -X POST http://localhost:" + district.httpPort() + "/api/v1/auth/login"
                + " -H 'Content-Type: application/json' -d '{\"user\":\"" + admin.user() + "\",\"password\":\""
                + admin.password() + "\"}'");
        out.println("     and put the \"token\" it answers in TOKEN=... for the requests below");
    }

    /**
     * How to see the demo's alarms and acknowledge one, with the URLs of this run, as README's demo
     * section says it.
     */
    static void printAlarmHelp(PrintWriter out, DemoDistrict district) {
        String api = "http://localhost:" + district.httpPort() + "/api/v1/alarms";
        out.println("  Alarms within minutes (a silent sensor, classroom r101's CO2, the lab fridge; each clears later):");
        out.println("       curl -H \"Authorization: Bearer $TOKEN\" '" + api + "?state=active'");
        out.println("     acknowledge one, putting an \"id\" listed there for ID:");
        out.println("       curl -X POST " + api + "/ID/ack -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'"
                + " -d '{\"by\":\"lan.nguyen\",\"note\":\"on my way\"}'");
    }

    /**
     * What the simulated school morning does and when, and how to see its attendance, with this run's date and URL;
     * with the morning off, when the door readers tap.
     */
    static void printAttendanceHelp(PrintWriter out, DemoDistrict district) {
        SchoolMorning morning = district.morning();
        if (morning == null) {
            out.println("  Attendance: the door readers tap in real school hours only (Mon-Fri 06:40-07:12 and 13:10-13:42"
                    + " Asia/Ho_Chi_Minh); --morning-speed N simulates a morning at any hour");
            return;
        }
        out.println("  Attendance: " + morning.describe() + ".");
        out.println("     Each class: most learners on time, some late, 1-3 never come (absent at the cut-off);"
                + " at r101 of each school an unknown and a revoked card are refused.");
        out.println("       curl -H \"Authorization: Bearer $TOKEN\" 'http://localhost:" + district.httpPort()
                + "/api/v1/attendance?school=" + district.schoolIds().get(0) + "&date=" + morning.day() + "'");
    }

    /** {@code --morning-speed}: {@code off} or 0, else 1-{@value SchoolMorning#MAX_SPEED}. */
    private int morningSpeed(String value) {
        String v = value == null ? "" : value.strip();
        if (v.equalsIgnoreCase("off")) {
            return 0;
        }
        int speed;
        try {
            speed = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            speed = -1;
        }
        if (speed < 0 || speed > SchoolMorning.MAX_SPEED) {
            throw new ParameterException(spec.commandLine(), "--morning-speed must be off (or 0) or 1-"
                    + SchoolMorning.MAX_SPEED + " (times real time), got '" + org.smartschool.bridge.text.SafeText.clean(v, 20) + "'");
        }
        return speed;
    }

    /** The InfluxDB named by --influx and --influx-db, or null for the embedded store. */
    private InfluxConfig influxConfig() {
        if (influxUrl == null) {
            if (!InfluxConfig.DEFAULT_DATABASE.equals(influxDatabase)) {
                throw new ParameterException(spec.commandLine(), "--influx-db needs --influx URL");
            }
            return null;
        }
        try {
            return InfluxConfig.DEFAULT.withUrl(influxUrl).withDatabase(influxDatabase);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (e.getMessage().startsWith("store.influx.database")
                    ? "--influx-db" : "--influx") + ": " + e.getMessage().replaceFirst("^store\\.influx\\.\\w+ ", ""));
        }
    }

    private static CoapPortException coapPortFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CoapPortException coap) {
                return coap;
            }
        }
        return null;
    }

    /** The HTTP and CoAP ports are fixed; every other port of the district is picked free. */
    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** Best effort: what cannot be deleted stays in the system's temporary directory. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("demo: could not delete " + root + ": " + e.getMessage());
        }
    }
}

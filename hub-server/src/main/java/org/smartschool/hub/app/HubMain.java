package org.smartschool.hub.app;

import org.smartschool.hub.demo.DemoCommand;
import org.smartschool.hub.loadgen.LoadgenCommand;
import org.smartschool.hub.roster.RosterCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The hub jar's entry point: {@code java -jar hub-server.jar serve --config hub.yaml}, or
 * {@code java -jar hub-server.jar demo} for a simulated district in one process.
 */
@Command(name = "hub-server", mixinStandardHelpOptions = true,
        description = "The smart-school monitoring hub: gateways' MQTT endpoint, storage, API and overview page.",
        subcommands = {ServeCommand.class, DemoCommand.class, LoadgenCommand.class, UsersCommand.class, RosterCommand.class,
                ReportCommand.class})
public final class HubMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, for main and for tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new HubMain());
    }

    @Override
    public void run() {
        // no subcommand: say what there is
        spec.commandLine().usage(System.out);
    }
}

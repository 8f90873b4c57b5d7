package org.smartschool.hub.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The hub jar's entry point: {@code java -jar hub-server.jar serve --config hub.yaml}.
 */
@Command(name = "hub-server", mixinStandardHelpOptions = true,
        description = "The smart-school monitoring hub: gateways' MQTT endpoint, storage, API and overview page.",
        // The subcommands, all in this one list. LEAD: register the demo here, once helper h5's
        // class exists: org.smartschool.hub.demo.DemoCommand.class
        subcommands = {ServeCommand.class})
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

package org.smartschool.gateway.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.GatewayConfigLoader;
import org.smartschool.gateway.outbox.OutboxException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar edge-gateway.jar run --config gateway.yaml}: runs one gateway until SIGTERM or Ctrl-C. */
@Command(name = "edge-gateway", mixinStandardHelpOptions = true, version = "edge-gateway 0.1.0",
        description = "Runs a school's edge gateway: reads devices from the school's MQTT broker, keeps the "
                + "readings in a durable outbox and sends them to the hub over MQTT 5.",
        subcommands = {GatewayMain.Run.class, DeadLettersCommand.class, CommandLine.HelpCommand.class})
public final class GatewayMain implements Runnable {
    /** Exit code for a configuration that cannot be used. */
    static final int EXIT_BAD_CONFIG = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // the application chooses the logging setup; the library code never does
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "edge-gateway-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new GatewayMain());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Starts the gateway and runs until SIGTERM or Ctrl-C. Every option of the file can be "
                    + "overridden by an environment variable SS_GATEWAY_<KEY>, e.g. SS_GATEWAY_NORTH_PASSWORD.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration (see config/gateway.example.yaml); defaults only when absent")
        Path config;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            GatewayConfig loaded;
            try {
                loaded = new GatewayConfigLoader().load(config, System.getenv());
            } catch (ConfigException e) {
                err.println("edge-gateway: bad configuration: " + e.getMessage());
                err.flush();
                return EXIT_BAD_CONFIG;
            }
            Gateway gateway;
            try {
                gateway = Gateway.start(loaded, CodecRegistry.standard());
            } catch (IllegalArgumentException e) {
                // a route naming an unknown codec is a configuration error too
                err.println("edge-gateway: bad configuration: " + e.getMessage());
                err.flush();
                return EXIT_BAD_CONFIG;
            } catch (OutboxException e) {
                err.println("edge-gateway: " + e.getMessage());
                err.flush();
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "edge-gateway shutdown"));
            stopped.await();
            return 0;
        }
    }
}

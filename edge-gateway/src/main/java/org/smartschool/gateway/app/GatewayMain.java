package org.smartschool.gateway.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.gateway.coap.CoapPortException;
import org.smartschool.gateway.config.GatewayConfig;
import org.smartschool.gateway.config.GatewayConfigLoader;
import org.smartschool.gateway.outbox.OutboxException;
import org.smartschool.gateway.telemetry.MetricsServer;
import org.smartschool.gateway.telemetry.PortInUseException;

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
    /** Exit code for a gateway that cannot start with a usable configuration (a port in use, an unreadable outbox). */
    static final int EXIT_CANNOT_START = 1;

    private static void closeQuietly(MetricsServer server) {
        if (server != null) {
            server.close();
        }
    }

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
        return commandLine(System.getenv());
    }

    /** With another environment than the process's: for tests of the SS_GATEWAY_* overrides. */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        return new CommandLine(new GatewayMain(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == Run.class ? type.cast(new Run(env)) : defaults.create(type);
            }
        });
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

        private final Map<String, String> env;

        Run() {
            this(System.getenv());
        }

        Run(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            GatewayConfig loaded;
            try {
                loaded = new GatewayConfigLoader().load(config, env);
            } catch (ConfigException e) {
                err.println("edge-gateway: bad configuration: " + e.getMessage());
                err.flush();
                return EXIT_BAD_CONFIG;
            }
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MetricsServer metricsServer = null;
            Gateway gateway;
            try {
                if (loaded.metrics().enabled()) {
                    metricsServer = MetricsServer.start(loaded.metrics().host(), loaded.metrics().port(), registry);
                }
                gateway = Gateway.start(loaded, CodecRegistry.standard(), registry);
            } catch (CoapPortException e) {
                closeQuietly(metricsServer);
                // names the key and the address: coap.port: cannot listen on UDP 0.0.0.0:5683 (...)
                err.println("edge-gateway: cannot start: " + e.getMessage());
                err.flush();
                return EXIT_CANNOT_START;
            } catch (PortInUseException e) {
                closeQuietly(metricsServer);
                err.println("edge-gateway: cannot start: " + e.getMessage());
                err.flush();
                return EXIT_CANNOT_START;
            } catch (IllegalArgumentException e) {
                closeQuietly(metricsServer);
                // a route naming an unknown codec is a configuration error too
                err.println("edge-gateway: bad configuration: " + e.getMessage());
                err.flush();
                return EXIT_BAD_CONFIG;
            } catch (OutboxException | IllegalStateException e) {
                closeQuietly(metricsServer);
                err.println("edge-gateway: " + e.getMessage());
                err.flush();
                return EXIT_CANNOT_START;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            MetricsServer metrics = metricsServer;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                closeQuietly(metrics);
                stopped.countDown();
            }, "edge-gateway shutdown"));
            stopped.await();
            return 0;
        }
    }
}

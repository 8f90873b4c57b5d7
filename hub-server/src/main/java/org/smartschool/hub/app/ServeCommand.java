package org.smartschool.hub.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;
import org.smartschool.bridge.config.ConfigException;
import org.smartschool.hub.config.HubConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code serve --config FILE}: runs the hub until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the hub: the MQTT endpoint for gateways and the HTTP API, until stopped (Ctrl-C, SIGTERM).")
public final class ServeCommand implements Callable<Integer> {
    static final int EXIT_BAD_CONFIG = 2;
    static final int EXIT_CANNOT_START = 1;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration (see hub-server/config/hub.example.yaml); defaults and SS_HUB_* environment variables when absent.")
    Path config;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    public ServeCommand() {
        this(System.getenv());
    }

    ServeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HubConfig hubConfig;
        try {
            hubConfig = HubConfig.load(config, env);
        } catch (ConfigException e) {
            err.println("hub-server: " + e.getMessage().replaceAll("\\s+", " "));
            err.flush();
            return EXIT_BAD_CONFIG;
        }
        if (hubConfig.gateways().isEmpty()) {
            err.println("hub-server: warning: no gateways in hub.yaml; only gateways registered in the registry can connect");
        }
        Vertx vertx = Vertx.vertx();
        Hub hub;
        try {
            hub = Hub.start(vertx, hubConfig).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            err.println("hub-server: cannot start: " + cause.getMessage());
            err.flush();
            vertx.close();
            return EXIT_CANNOT_START;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hub.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
                // called from this thread, not chained on an event loop: that loop stops while Vert.x closes
                vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("hub-server: stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "hub-shutdown"));
        out.println("Hub up.");
        out.println("  Overview page and API: " + url("http", hubConfig.http().host(), hub.httpPort()) + "/  (API "
                + url("http", hubConfig.http().host(), hub.httpPort()) + "/api/v1/openapi.yaml)");
        out.println("  Gateways connect to:   " + url("mqtt", hubConfig.mqtt().host(), hub.mqttPort()) + " (MQTT 5)");
        out.println("  Store:                 " + hubConfig.store().describe());
        out.println("  State (registry):      " + hubConfig.state().resolve(Path.of(hubConfig.store().path())).url()
                .replaceAll("password=[^&]*", "password=***")
                + (hubConfig.registry().hasInventory() ? ", inventory " + hubConfig.registry().inventory() : ""));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    private static String url(String scheme, String host, int port) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return scheme + "://" + shown + ":" + port;
    }
}

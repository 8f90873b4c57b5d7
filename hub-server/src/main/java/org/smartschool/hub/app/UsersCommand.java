package org.smartschool.hub.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

import org.smartschool.bridge.config.ConfigException;
import org.smartschool.hub.auth.AccountConflictException;
import org.smartschool.hub.auth.Passwords;
import org.smartschool.hub.auth.Role;
import org.smartschool.hub.auth.UserAccount;
import org.smartschool.hub.config.HubConfig;
import org.smartschool.hub.state.StateStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code users add --config FILE --name NAME --role ROLE [--school ID]}: creates a user in the hub's state database
 * (also while the hub runs), with the password of {@code SS_HUB_NEW_USER_PASSWORD} or one generated and printed once.
 */
@Command(name = "users", mixinStandardHelpOptions = true, subcommands = UsersCommand.Add.class,
        description = "Manage the hub's users in its state database (README, \"Users, roles and scoped access\").")
public final class UsersCommand implements Runnable {
    static final String PASSWORD_VARIABLE = "SS_HUB_NEW_USER_PASSWORD";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user; the password comes from "
            + PASSWORD_VARIABLE + " or is generated and printed once.")
    static final class Add implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the hub's YAML configuration (its state database)")
        Path config;

        @Option(names = "--name", required = true, description = "user name: 1-64 of a-z 0-9 . _ @ -")
        String name;

        @Option(names = "--role", required = true, description = "school-viewer, school-operator, district-viewer, district-operator or admin")
        String role;

        @Option(names = "--school", description = "the school of a school role")
        String school;

        @Spec
        CommandSpec spec;

        private final Map<String, String> env;

        Add() {
            this(System.getenv());
        }

        Add(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HubConfig hubConfig;
            try {
                hubConfig = HubConfig.load(config, env);
            } catch (ConfigException e) {
                err.println("hub-server users: " + e.getMessage().replaceAll("\\s+", " "));
                err.flush();
                return ServeCommand.EXIT_BAD_CONFIG;
            }
            Role chosen = Role.byId(role).orElse(null);
            String given = env.getOrDefault(PASSWORD_VARIABLE, "");
            String problem = chosen == null ? "--role must be one of " + Role.ids()
                    : UserAccount.nameProblem(name) != null ? "--name: " + UserAccount.nameProblem(name)
                    : chosen.districtWide() != (school == null) ? (school == null ? "--school is needed for " + role : "--school is not for " + role)
                    : !given.isEmpty() && Passwords.problem(given) != null ? PASSWORD_VARIABLE + ": " + Passwords.problem(given) : null;
            if (problem != null) {
                err.println("hub-server users: " + problem);
                err.flush();
                return ServeCommand.EXIT_BAD_CONFIG;
            }
            String password = given.isEmpty() ? Passwords.generate() : given;
            Path storeFile = Path.of(hubConfig.store().path());
            Clock clock = Clock.systemUTC();
            try (StateStores state = StateStores.open(hubConfig.state().resolve(storeFile), hubConfig.registry(), storeFile, clock)) {
                state.accounts().createUser(new UserAccount(name, Passwords.hash(password), chosen, school, clock.millis(), "cli"));
            } catch (AccountConflictException e) {
                err.println("hub-server users: " + e.getMessage());
                err.flush();
                return ServeCommand.EXIT_CANNOT_START;
            }
            out.println("user '" + name + "' (" + chosen.id() + (school == null ? "" : ", " + school) + ") created"
                    + (given.isEmpty() ? " with the password " + password + " (shown only now)" : ""));
            out.flush();
            return 0;
        }
    }
}

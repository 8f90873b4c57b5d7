package org.smartschool.bridge.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.smartschool.bridge.codec.CodecRegistry;
import org.smartschool.bridge.codec.ProblemText;

/**
 * {@code java -jar firmware-bridge.jar}: the firmware bridge from a shell. {@code codecs} lists the
 * codecs, {@code decode} turns one device payload into canonical JSON lines, {@code simulate}
 * prints a virtual school's device traffic. Output is UTF-8.
 */
@Command(name = "firmware-bridge", mixinStandardHelpOptions = true, version = "firmware-bridge 0.1.0",
        description = "Decodes what school IoT firmware sends into canonical readings and events, and simulates a school's devices.",
        subcommands = CommandLine.HelpCommand.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:partly decoded input (decode)", "2:undecodable input, unknown codec or bad usage"},
        footer = {"%nRun 'firmware-bridge help COMMAND' for a command's options."})
public final class BridgeCli implements Runnable {
    /** Exit code for input that was partly decoded: records printed, problems on stderr. */
    public static final int PARTLY_DECODED = 1;
    /** Exit code for undecodable input, an unknown codec, an unreadable file or a bad option. */
    public static final int FAILED = 2;

    /** Waits; Thread::sleep in production, a fake clock's advance in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: codecs, decode or simulate");
    }

    /**
     * The command line with its collaborators: tests pass their own input, clock and sleeper and
     * capture output with {@link CommandLine#setOut} / {@link CommandLine#setErr}.
     */
    public static CommandLine commandLine(CodecRegistry codecs, InputStream stdin, LongSupplier clock, Sleeper sleeper) {
        CommandLine cli = new CommandLine(new BridgeCli());
        cli.addSubcommand("codecs", new CodecsCommand(codecs));
        cli.addSubcommand("decode", new DecodeCommand(codecs, stdin, clock));
        cli.addSubcommand("simulate", new SimulateCommand(clock, sleeper));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getClass().getSimpleName() + ": "
                    + ProblemText.clean(String.valueOf(e.getMessage()), 300));
            commandLine.getErr().flush();
            return FAILED;
        });
        return cli;
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine(CodecRegistry.standard(), System.in, System::currentTimeMillis, Thread::sleep);
        cli.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8)));
        cli.setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true));
        int code = cli.execute(args);
        cli.getOut().flush();
        System.exit(code);
    }
}
